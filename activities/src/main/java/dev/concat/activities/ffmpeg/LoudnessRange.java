package dev.concat.activities.ffmpeg;

import dev.concat.activities.loudness.LoudnessHistogram;
import java.util.Arrays;

/**
 * Loudness range (LRA) of FFmpeg's short-term values, computed as the Java meter computes it
 * ({@link LoudnessHistogram#loudnessRangeLu}): EBU Tech 3342's gates and its MATLAB reference's
 * percentile ranks.
 *
 * <p>FFmpeg's own LRA (its summary and {@code lavfi.r128.LRA}) picks the ranks differently from a
 * histogram of 0.01 LU bins (ranks {@code round(n*p/100)}, values floored to the bin): on speech
 * between silences, where few windows pass the gates and neighbouring values lie far apart, it read
 * 0.1 to 0.5 LU above this definition.
 */
final class LoudnessRange {

  /**
   * @param shortTermLufs every short-term value of the run; NaN and minus infinity (silence) are
   *     gated out
   */
  static double of(double[] shortTermLufs) {
    double[] energies =
        Arrays.stream(shortTermLufs)
            .filter(s -> !Double.isNaN(s))
            .map(LoudnessHistogram::energy)
            .toArray();
    return LoudnessHistogram.of(energies).loudnessRangeLu();
  }

  private LoudnessRange() {}
}
