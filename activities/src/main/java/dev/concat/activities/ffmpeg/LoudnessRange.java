package dev.concat.activities.ffmpeg;

import java.util.Arrays;

/**
 * Loudness range (LRA) exactly as EBU Tech 3342 (2023) defines it in its MATLAB reference: the
 * short-term loudness values (3 s windows, every 100 ms) at or above the absolute gate of -70 LUFS,
 * then at or above the relative gate 20 LU below their power mean, then the spread from the 10th to
 * the 95th percentile, each the sorted value at rank {@code round((n-1)*p/100 + 1)}.
 *
 * <p>FFmpeg's own LRA (its summary and {@code lavfi.r128.LRA}) picks the ranks differently from a
 * histogram of 0.01 LU bins (ranks {@code round(n*p/100)}, values floored to the bin): on speech
 * between silences, where few windows pass the gates and neighbouring values lie far apart, it read
 * 0.1 to 0.5 LU above this definition.
 */
final class LoudnessRange {
  private static final double ABSOLUTE_GATE_LUFS = -70;
  private static final double RELATIVE_GATE_LU = -20;
  private static final int LOW_PERCENTILE = 10;
  private static final int HIGH_PERCENTILE = 95;

  /**
   * @param shortTermLufs every short-term value of the run; NaN and minus infinity (silence) are
   *     gated out
   */
  static double of(double[] shortTermLufs) {
    double[] audible = Arrays.stream(shortTermLufs).filter(s -> s >= ABSOLUTE_GATE_LUFS).toArray();
    if (audible.length == 0) {
      return 0;
    }
    double meanPower =
        Arrays.stream(audible).map(s -> Math.pow(10, s / 10)).average().orElseThrow();
    double relativeGate = 10 * Math.log10(meanPower) + RELATIVE_GATE_LU;
    double[] gated = Arrays.stream(audible).filter(s -> s >= relativeGate).sorted().toArray();
    return gated[rank(gated.length, HIGH_PERCENTILE)] - gated[rank(gated.length, LOW_PERCENTILE)];
  }

  /** The 0-based index of Tech 3342's 1-based rank; MATLAB's round takes halves up here. */
  private static int rank(int n, int percentile) {
    return (int) Math.floor((n - 1) * percentile / 100.0 + 1 + 0.5) - 1;
  }

  private LoudnessRange() {}
}
