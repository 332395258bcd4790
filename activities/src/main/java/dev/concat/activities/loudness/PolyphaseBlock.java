package dev.concat.activities.loudness;

/**
 * A block of one channel's samples behind the samples before it, interpolated by the phases of a
 * polyphase filter a tap at a time: for each tap i, {@code y[n] += h[i] * x[n - i]} over the whole
 * block in every phase, loops HotSpot compiles to vector instructions. Each point sums its taps in
 * the order of a per-sample dot product, so it is the same double to the last bit.
 */
final class PolyphaseBlock {
  /** Each phase's weights, of the newest input sample first. */
  private final double[][] phases;

  private final int history;

  /** The last {@code history} samples before the block, then the block. */
  private final double[] samples;

  /**
   * The block's samples delayed by one tap, lying where the points lie: HotSpot 17 (measured) keeps
   * a loop scalar when it reads {@code samples} at a tap's offset, and vectorises one over arrays
   * indexed alike.
   */
  private final double[] delayed;

  /** Each phase's points of the block's samples. */
  private final double[][] points;

  PolyphaseBlock(double[][] phases, int size) {
    this.phases = phases;
    int taps = 0;
    for (double[] phase : phases) {
      taps = Math.max(taps, phase.length);
    }
    this.history = taps - 1;
    this.samples = new double[history + size];
    this.delayed = new double[size];
    this.points = new double[phases.length][size];
  }

  /**
   * Copies {@code count} samples, {@code stride} apart in {@code from}, into the block at {@code
   * at}.
   */
  void set(int at, float[] from, int offset, int stride, int count) {
    for (int i = 0, j = history + at; i < count; i++, j++) {
      samples[j] = from[offset + i * stride];
    }
  }

  /** The largest magnitude of the samples that the points of the block's [first, end) reach. */
  double largestInReach(int first, int end) {
    return largestMagnitude(samples, first, end + history);
  }

  /** The largest magnitude of the points of the block's samples [first, end). */
  double largestPoint(int first, int end) {
    int count = end - first;
    for (int tap = 0; tap <= history; tap++) {
      System.arraycopy(samples, history + first - tap, delayed, 0, count);
      for (int p = 0; p < phases.length; p++) {
        if (tap < phases[p].length) {
          accumulate(points[p], phases[p][tap], tap == 0, count);
        }
      }
    }
    double largest = 0;
    for (double[] phasePoints : points) {
      largest = Math.max(largest, largestMagnitude(phasePoints, 0, count));
    }
    return largest;
  }

  /** Moves the last {@code history} of the block's first {@code filled} samples in front of it. */
  void shift(int filled) {
    System.arraycopy(samples, filled, samples, 0, history);
  }

  private void accumulate(double[] sums, double weight, boolean first, int count) {
    if (first) {
      for (int n = 0; n < count; n++) {
        sums[n] = weight * delayed[n];
      }
    } else {
      for (int n = 0; n < count; n++) {
        sums[n] += weight * delayed[n];
      }
    }
  }

  /** Compares rather than calling {@code Math.max}, which measured twice as slow here. */
  private static double largestMagnitude(double[] values, int from, int to) {
    double largest = 0;
    for (int i = from; i < to; i++) {
      double magnitude = Math.abs(values[i]);
      if (magnitude > largest) {
        largest = magnitude;
      }
    }
    return largest;
  }
}
