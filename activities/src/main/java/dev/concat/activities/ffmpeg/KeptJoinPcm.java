package dev.concat.activities.ffmpeg;

import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joined audio as the first loudness pass decoded it, kept on the host's disk for the encodes
 * that follow: they read one WAV file instead of decoding every segment again. On set A (40 minutes
 * of MP3 segments) the decode it saves is 1.6 s of CPU for each encode, about 1.9 s with the concat
 * demuxer's reading; the file takes 10.6 MB a minute of 44.1 kHz mono (32-bit float, as FFmpeg's
 * filters hand the samples on), 23 MB of 48 kHz stereo.
 *
 * <p>Kept only where it takes at most half the disk's free space, so that it never is what fills
 * the disk: otherwise the encodes decode the segments again, as they always did, with the same
 * samples (the file holds what the join's filter graph gave before any gain, in the first pass's
 * channels, and the encode conforms it as it would the segments: FFmpeg's same upmix where a mono
 * join is kept for a stereo output, nothing otherwise).
 */
final class KeptJoinPcm {
  private static final String NAME = "joined.kept.wav";

  /** RIFF, fmt and data headers, with room for FFmpeg's extensible format. */
  private static final long HEADER_BYTES = 4096;

  /** Free space under which the disk counts as full: a few of FFmpeg's write buffers. */
  private static final long FULL_BELOW_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(KeptJoinPcm.class);

  private final Path file;

  private KeptJoinPcm(Path file) {
    this.file = file;
  }

  /**
   * Where the first pass may keep {@code run}'s joined audio (as {@code command} joins it); empty
   * when a chunked encode decodes the join anyway, or the disk has not twice the room the file
   * takes.
   */
  static Optional<KeptJoinPcm> placeFor(JoinRun run, JoinCommand command) {
    if (run.inChunks()) {
      return Optional.empty();
    }
    Path file = run.dir().root().resolve(NAME);
    // The first pass's channels: a mono join for a stereo output is kept in mono.
    Encoding kept = command.firstPassLayout(run.audio().encoding()).metered();
    long bytes = bytes(run.timeline().totalMicros() / 1e6, kept);
    return DiskSpace.usableFor(run.dir(), 2 * bytes) >= 2 * bytes
        ? Optional.of(new KeptJoinPcm(file))
        : Optional.empty();
  }

  /** What the first pass writes into, until it is whole. */
  Path inProgress() {
    return WholeFile.inProgress(file);
  }

  /** The first pass read the whole join: the file is kept under its name. */
  void finish() throws IOException {
    WholeFile.finish(file);
  }

  /** The file, when a pass (this attempt's or an earlier one on this host) kept it whole. */
  Optional<Path> whole() {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Whether the disk is (nearly) full now: a pass that failed then failed for the file it kept. */
  boolean filledTheDisk() {
    return DiskSpace.usable(file.getParent()) < FULL_BELOW_BYTES;
  }

  /**
   * Frees the disk once the encodes are done, or the pass failed. A file that cannot be deleted is
   * left to the work directory's removal at the end of the job.
   */
  void delete() {
    try {
      Files.deleteIfExists(inProgress());
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete the kept join {}: {}", file, e.toString());
    }
  }

  static long bytes(double seconds, Encoding encoding) {
    return (long) Math.ceil(seconds * encoding.sampleRate()) * encoding.channels() * Float.BYTES
        + HEADER_BYTES;
  }
}
