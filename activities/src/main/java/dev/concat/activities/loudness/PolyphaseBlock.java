package dev.concat.activities.loudness;

import java.util.Arrays;

/**
 * A block of one channel's samples behind the samples before it, interpolated by the phases of a
 * polyphase filter a few taps at a time: {@code y[n] += h[i] * x[n - i] + h[i + 1] * x[n - i - 1]
 * ...} over the whole block in every phase, loops HotSpot compiles to vector instructions. Each
 * point sums its taps in floats in the order of a per-sample dot product, so it is the same float
 * to the last bit whichever block computes it. A pass whose weights are all zero (phase 0's, but
 * for its centre tap, where the sinc crosses zero) is skipped: adding zero changes no sum.
 */
final class PolyphaseBlock {
  /** Taps added per pass over the points: each pass reads and writes the points once. */
  private static final int TAPS_PER_PASS = 4;

  /** Each phase's weights, of the newest input sample first. */
  private final float[][] phases;

  private final int history;

  /** The last {@code history} samples before the block, then the block. */
  private final float[] samples;

  /**
   * The block's samples delayed by each tap of a pass, lying where the points lie: HotSpot 17
   * (measured) keeps a loop scalar when it reads {@code samples} at a tap's offset, and vectorises
   * one over arrays indexed alike.
   */
  private final float[][] delayed;

  /** Each phase's points of the block's samples. */
  private final float[][] points;

  PolyphaseBlock(float[][] phases, int size) {
    this.phases = phases;
    int taps = 0;
    for (float[] phase : phases) {
      taps = Math.max(taps, phase.length);
    }
    this.history = taps - 1;
    this.samples = new float[history + size];
    this.delayed = new float[TAPS_PER_PASS][size];
    this.points = new float[phases.length][size];
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

  /**
   * The first of the block's points [first, end) whose reach holds a sample louder than {@code
   * loud}, or {@code end}.
   */
  int firstInReachOf(double loud, int first, int end) {
    for (int j = first; j < end + history; j++) {
      if (Math.abs(samples[j]) > loud) {
        return Math.max(first, j - history);
      }
    }
    return end;
  }

  /**
   * The point after the last of the block's points [from, end) whose reach holds a sample louder
   * than {@code loud}, given that the reach of point {@code from} holds one.
   */
  int endInReachOf(double loud, int from, int end) {
    for (int j = end + history - 1; j > from; j--) {
      if (Math.abs(samples[j]) > loud) {
        return Math.min(end, j + 1);
      }
    }
    return from + 1;
  }

  /** The largest magnitude of the points of the block's samples [first, end). */
  double largestPoint(int first, int end) {
    int count = end - first;
    for (float[] sums : points) {
      Arrays.fill(sums, 0, count, 0);
    }
    for (int tap = 0; tap <= history; tap += TAPS_PER_PASS) {
      for (int d = 0; d < TAPS_PER_PASS && tap + d <= history; d++) {
        System.arraycopy(samples, history + first - tap - d, delayed[d], 0, count);
      }
      for (int p = 0; p < phases.length; p++) {
        accumulate(points[p], phases[p], tap, count);
      }
    }
    double largest = 0;
    for (float[] sums : points) {
      largest = Math.max(largest, largestMagnitude(sums, 0, count));
    }
    return largest;
  }

  /** Moves the last {@code history} of the block's first {@code filled} samples in front of it. */
  void shift(int filled) {
    System.arraycopy(samples, filled, samples, 0, history);
  }

  /** Adds the phase's taps from {@code tap}, as many of the pass's as it has, to its points. */
  private void accumulate(float[] sums, float[] phase, int tap, int count) {
    if (tap + TAPS_PER_PASS <= phase.length) {
      float w0 = phase[tap];
      float w1 = phase[tap + 1];
      float w2 = phase[tap + 2];
      float w3 = phase[tap + 3];
      if (w0 == 0 && w1 == 0 && w2 == 0 && w3 == 0) {
        return;
      }
      float[] x0 = delayed[0];
      float[] x1 = delayed[1];
      float[] x2 = delayed[2];
      float[] x3 = delayed[3];
      for (int n = 0; n < count; n++) {
        // Left to right, as a dot product adds them.
        sums[n] = sums[n] + w0 * x0[n] + w1 * x1[n] + w2 * x2[n] + w3 * x3[n];
      }
      return;
    }
    for (int d = 0; tap + d < phase.length; d++) {
      float weight = phase[tap + d];
      if (weight == 0) {
        continue;
      }
      float[] x = delayed[d];
      for (int n = 0; n < count; n++) {
        sums[n] += weight * x[n];
      }
    }
  }

  /** Compares rather than calling {@code Math.max}, which measured twice as slow here. */
  private static float largestMagnitude(float[] values, int from, int to) {
    float largest = 0;
    for (int i = from; i < to; i++) {
      float magnitude = Math.abs(values[i]);
      if (magnitude > largest) {
        largest = magnitude;
      }
    }
    return largest;
  }
}
