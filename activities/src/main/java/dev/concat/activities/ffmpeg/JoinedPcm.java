package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.DigestName;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The join decoded to PCM for the chunk encoders, named by a digest of its decode's command line
 * (inputs, filter graph, gain). The chunk encoders read it while FFmpeg writes it; a marker file
 * beside it says the decode succeeded. An earlier attempt's file under this name with its marker,
 * on the same host, is the same decode, whole, and is used again instead of decoding the join a
 * second time.
 */
final class JoinedPcm {
  private static final String PREFIX = "joined-";
  private static final String SUFFIX = ".wav";
  private static final String WHOLE = ".whole";

  private final JobWorkDir dir;
  private final Path file;
  private final List<String> decode;

  JoinedPcm(JobWorkDir dir, JoinCommand join, Encoding encoding) {
    this.dir = dir;
    MessageDigest digest = DigestName.digest();
    // The output path is left out: it is named by this digest.
    List<String> named = join.pcm(encoding, Path.of(PREFIX + SUFFIX));
    digest.update(String.join("\0", named).getBytes(StandardCharsets.UTF_8));
    this.file = dir.root().resolve(PREFIX + DigestName.of(digest) + SUFFIX);
    this.decode = join.pcm(encoding, file);
  }

  Path file() {
    return file;
  }

  /**
   * Whether an earlier attempt left this decode whole. Deletes every other decode it left, and this
   * one if it is not whole: readers of the file must never see a stale part that FFmpeg then
   * truncates.
   */
  boolean keptWhole() throws IOException {
    boolean whole = Files.isRegularFile(marker(file)) && Files.isRegularFile(file);
    for (Path kept : files(dir)) {
      if (!whole || !(kept.equals(file) || kept.equals(marker(file)))) {
        Files.delete(kept);
      }
    }
    return whole;
  }

  /** Decodes the join into {@link #file()} under {@code supervisor}, and marks the file whole. */
  void run(FfmpegSupervisor supervisor, Duration stallLimit, PhaseProgress progress)
      throws IOException, InterruptedException {
    run(supervisor, stallLimit, progress, () -> {});
  }

  /**
   * Decodes as above, calling {@code stopIf} as the decode advances: what it throws stops FFmpeg
   * and is thrown from here.
   */
  void run(
      FfmpegSupervisor supervisor, Duration stallLimit, PhaseProgress progress, Runnable stopIf)
      throws IOException, InterruptedException {
    String jobId = dir.jobId();
    FfmpegExit decoded =
        supervisor.run(
            jobId,
            decode,
            file,
            stallLimit,
            p -> {
              stopIf.run();
              progress.heartbeat(new ConcatHeartbeat("decode", 0, p.outTimeMicros()));
            });
    if (!decoded.succeeded()) {
      throw decoded.toFailure(jobId + " (decoding the join for chunked encoding)");
    }
    Files.createFile(marker(file));
  }

  void delete() throws IOException {
    Files.deleteIfExists(marker(file));
    Files.deleteIfExists(file);
  }

  /**
   * The disk a decode of {@code pcmBytes} still needs in {@code dir}: less what an earlier
   * attempt's whole decode already holds.
   */
  static long bytesToWrite(JobWorkDir dir, long pcmBytes) {
    long kept = 0;
    try {
      for (Path file : files(dir)) {
        if (Files.isRegularFile(marker(file))) {
          kept += Files.size(file);
        }
      }
    } catch (IOException unreadable) {
      // Nothing counts as kept: the check asks for the whole decode's room.
      return pcmBytes;
    }
    return Math.max(0, pcmBytes - kept);
  }

  private static Path marker(Path file) {
    return file.resolveSibling(file.getFileName() + WHOLE);
  }

  /** The decodes and markers in {@code dir}. */
  private static List<Path> files(JobWorkDir dir) throws IOException {
    if (!Files.isDirectory(dir.root())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir.root())) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().startsWith(PREFIX)
                      && (f.getFileName().toString().endsWith(SUFFIX)
                          || f.getFileName().toString().endsWith(SUFFIX + WHOLE)))
          .toList();
    }
  }
}
