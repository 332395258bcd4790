package dev.concat.bench;

import java.util.Arrays;

/** The median of a few measurements: one slow outlier in three runs does not move it. */
final class Median {

  static double of(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private Median() {}
}
