package dev.concat.activities.loudness;

import java.util.Arrays;

/**
 * The true-peak meter as it was before {@link TruePeak} filtered blocks, kept for {@link
 * TruePeakBenchmark} to time against: one sample at a time through a ring buffer, each phase a dot
 * product, skipped while no sample in the filter's reach could raise the peak. Every point counts.
 */
final class PerSampleTruePeak {
  private static final double[][] PHASES = phases();

  private static final double GAIN_BOUND =
      Arrays.stream(PHASES)
          .mapToDouble(phase -> Arrays.stream(phase).map(Math::abs).sum())
          .max()
          .getAsDouble();

  private final double[] history = new double[2 * TruePeak.SPAN];
  private int newest;
  private double peak;
  private int inReach;

  void add(double sample) {
    newest = newest + 1 == TruePeak.SPAN ? 0 : newest + 1;
    history[newest] = sample;
    history[newest + TruePeak.SPAN] = sample;
    if (Math.abs(sample) * GAIN_BOUND > peak) {
      inReach = TruePeak.SPAN;
    }
    if (inReach == 0) {
      return;
    }
    inReach--;
    int last = newest + TruePeak.SPAN;
    for (double[] phase : PHASES) {
      double sum = 0;
      for (int i = 0; i < phase.length; i++) {
        sum += phase[i] * history[last - i];
      }
      peak = Math.max(peak, Math.abs(sum));
    }
  }

  double peak() {
    return peak;
  }

  private static double[][] phases() {
    double[] taps = PlainTruePeak.taps();
    double[][] phases = new double[4][];
    for (int p = 0; p < 4; p++) {
      phases[p] = new double[(taps.length - p + 3) / 4];
      for (int i = 0; i < phases[p].length; i++) {
        phases[p][i] = taps[p + 4 * i];
      }
    }
    return phases;
  }
}
