package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.DigestName;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.WholeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The loudness meter's reading of a join, kept in the job's work directory under a digest of the
 * meter's command line (inputs and filter graph), so that a later step of the job on this host
 * reads it instead of decoding the whole join again: the assemble of a spread encode, which needs
 * the gain its concat staged the chunks with, or an attempt after a crash. Measured: the meter
 * decodes at about 60 times real time here, a minute for an hour of audio.
 */
final class KeptLoudness {
  private final Path file;

  /** {@code meter}'s output paths are the job's own fixed names, so its digest names its input. */
  KeptLoudness(JobWorkDir dir, List<String> meter) {
    MessageDigest digest = DigestName.digest();
    digest.update(String.join("\0", meter).getBytes(StandardCharsets.UTF_8));
    this.file = dir.root().resolve("meter-" + DigestName.of(digest) + ".txt");
  }

  /** The reading kept by an earlier step, if there is a whole one. */
  Optional<LoudnessSummary> read() {
    try {
      List<String> values = Files.readAllLines(file);
      return Optional.of(
          new LoudnessSummary(
              Double.parseDouble(values.get(0)),
              Double.parseDouble(values.get(1)),
              Double.parseDouble(values.get(2))));
    } catch (IOException | RuntimeException absentOrUnreadable) {
      // Measured again: the meter is always right, only slower.
      return Optional.empty();
    }
  }

  /** Keeps {@code reading}, written whole (renamed into place) or not at all. */
  void keep(LoudnessSummary reading) throws IOException {
    // Double.toString reads back as the same double, infinities included.
    WholeFile.write(
        file,
        part ->
            Files.write(
                part,
                List.of(
                    Double.toString(reading.integratedLufs()),
                    Double.toString(reading.truePeakDb()),
                    Double.toString(reading.loudnessRangeLu()))));
  }
}
