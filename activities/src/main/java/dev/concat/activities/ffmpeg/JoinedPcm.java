package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.DigestName;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * The join decoded to PCM for the chunk encoders, named by a digest of its decode's command line
 * (inputs, filter graph, gain). FFmpeg writes it under a temporary name, renamed once the decode
 * succeeded: an earlier attempt's file under this name, on the same host, is the same decode,
 * whole, and is used again instead of decoding the join a second time.
 */
final class JoinedPcm {
  private static final String PREFIX = "joined-";
  private static final String SUFFIX = ".wav";

  private final JobWorkDir dir;
  private final Path decoding;
  private final List<String> decode;
  private final Path file;

  JoinedPcm(JobWorkDir dir, JoinCommand join, Encoding encoding) {
    this.dir = dir;
    this.decoding = dir.root().resolve(PREFIX + "decoding" + SUFFIX + ".part");
    this.decode = join.pcm(encoding, decoding);
    MessageDigest digest = DigestName.digest();
    digest.update(String.join("\0", decode).getBytes(StandardCharsets.UTF_8));
    this.file = dir.root().resolve(PREFIX + DigestName.of(digest) + SUFFIX);
  }

  /** The decode's command line; FFmpeg writes {@link #decoding()}. */
  List<String> decode() {
    return decode;
  }

  /** Where the decode is written until it succeeded. */
  Path decoding() {
    return decoding;
  }

  /** The whole decode. */
  Path file() {
    return file;
  }

  /** Whether an earlier attempt left this decode whole; deletes any other it left. */
  boolean keptWhole() throws IOException {
    for (Path kept : kept(dir)) {
      if (!kept.equals(file)) {
        Files.delete(kept);
      }
    }
    return Files.isRegularFile(file);
  }

  /** Makes what FFmpeg wrote the whole decode. */
  void finish() throws IOException {
    Files.move(decoding, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void delete() throws IOException {
    Files.deleteIfExists(decoding);
    Files.deleteIfExists(file);
  }

  /**
   * The disk a decode of {@code pcmBytes} still needs in {@code dir}: less what an earlier
   * attempt's whole decode already holds.
   */
  static long bytesToWrite(JobWorkDir dir, long pcmBytes) {
    long kept = 0;
    try {
      for (Path file : kept(dir)) {
        kept += Files.size(file);
      }
    } catch (IOException unreadable) {
      // Nothing counts as kept: the check asks for the whole decode's room.
      return pcmBytes;
    }
    return Math.max(0, pcmBytes - kept);
  }

  private static List<Path> kept(JobWorkDir dir) throws IOException {
    if (!Files.isDirectory(dir.root())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir.root())) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().startsWith(PREFIX)
                      && f.getFileName().toString().endsWith(SUFFIX))
          .toList();
    }
  }
}
