package dev.concat.activities.loudness;

import java.util.Arrays;

/**
 * How many measured windows (gating blocks or short-term windows) fell in each 0.01 LU band of
 * loudness above the absolute gate of -70 LUFS, and their summed energy: all BS.1770 gating and EBU
 * Tech 3342 need, in a size bounded by the bands (7,500 from -70 to +5 LUFS) instead of growing
 * with the programme's length. The summed energy keeps the gated mean exact; only a window in the
 * same 0.01 LU band as a relative gate is gated with its band's mean rather than its own loudness.
 * Windows at or below the absolute gate are not kept: no measurement uses them.
 *
 * @param firstBand the band of {@code counts[0]}: band b holds loudness in [-70 + b/100, -70 +
 *     (b+1)/100)
 * @param counts windows per band, from {@code firstBand} on
 * @param energies summed mean-square energy per band (the power before the log of BS.1770)
 */
public record LoudnessHistogram(int firstBand, long[] counts, double[] energies) {
  static final double ABSOLUTE_GATE_LUFS = -70;
  static final double BANDS_PER_LU = 100;

  /** EBU Tech 3342's relative gate for the short-term windows. */
  private static final double RANGE_GATE_LU = -20;

  private static final int LOW_PERCENTILE = 10;
  private static final int HIGH_PERCENTILE = 95;
  public static final LoudnessHistogram EMPTY =
      new LoudnessHistogram(0, new long[0], new double[0]);

  public LoudnessHistogram {
    if (counts.length != energies.length) {
      throw new IllegalArgumentException(
          counts.length + " counts but " + energies.length + " energies");
    }
  }

  static double lufs(double energy) {
    return -0.691 + 10 * Math.log10(energy);
  }

  public static double energy(double lufs) {
    return Math.pow(10, (lufs + 0.691) / 10);
  }

  /** The band of a loudness above the absolute gate. */
  static int band(double lufs) {
    return (int) Math.floor((lufs - ABSOLUTE_GATE_LUFS) * BANDS_PER_LU);
  }

  /** The histogram of windows of these mean-square energies. */
  public static LoudnessHistogram of(double[] windowEnergies) {
    double gate = energy(ABSOLUTE_GATE_LUFS);
    double[] kept = Arrays.stream(windowEnergies).filter(e -> e > gate).toArray();
    if (kept.length == 0) {
      return EMPTY;
    }
    int first = Arrays.stream(kept).mapToInt(e -> band(lufs(e))).min().getAsInt();
    int end = Arrays.stream(kept).mapToInt(e -> band(lufs(e))).max().getAsInt() + 1;
    long[] counts = new long[end - first];
    double[] energies = new double[end - first];
    for (double e : kept) {
      counts[band(lufs(e)) - first]++;
      energies[band(lufs(e)) - first] += e;
    }
    return new LoudnessHistogram(first, counts, energies);
  }

  public long windows() {
    return Arrays.stream(counts).sum();
  }

  /** Both histograms' windows together. */
  public LoudnessHistogram plus(LoudnessHistogram other) {
    if (counts.length == 0) {
      return other;
    }
    if (other.counts.length == 0) {
      return this;
    }
    int first = Math.min(firstBand, other.firstBand);
    int end = Math.max(firstBand + counts.length, other.firstBand + other.counts.length);
    long[] sumCounts = new long[end - first];
    double[] sumEnergies = new double[end - first];
    for (LoudnessHistogram part : new LoudnessHistogram[] {this, other}) {
      for (int i = 0; i < part.counts.length; i++) {
        sumCounts[part.firstBand - first + i] += part.counts[i];
        sumEnergies[part.firstBand - first + i] += part.energies[i];
      }
    }
    return new LoudnessHistogram(first, sumCounts, sumEnergies);
  }

  /**
   * The loudness of the mean energy of the windows louder than {@code gateLu} below the mean of all
   * kept windows (BS.1770's relative gate); negative infinity when there are none.
   */
  public double gatedLufs(double gateLu) {
    double threshold = lufs(meanEnergy(Double.NEGATIVE_INFINITY)) + gateLu;
    return lufs(meanEnergy(threshold));
  }

  /** The mean energy of the windows whose band's mean loudness lies above {@code thresholdLufs}. */
  double meanEnergy(double thresholdLufs) {
    long count = 0;
    double energy = 0;
    for (int i = 0; i < counts.length; i++) {
      if (isAbove(i, thresholdLufs)) {
        count += counts[i];
        energy += energies[i];
      }
    }
    return count == 0 ? 0 : energy / count;
  }

  /**
   * The loudness range (LU) of these short-term windows as EBU Tech 3342 (2023) defines it in its
   * MATLAB reference: the windows above the absolute gate, then above the relative gate 20 LU below
   * their mean power, then the spread from the 10th to the 95th percentile, each the window at rank
   * {@code round((n-1)*p/100 + 1)} (from 1, quietest first; halves up), read as its band's mean
   * loudness. 0 when no window is above the gates. Both the Java meter and FFmpeg's frame log
   * ({@code LoudnessRange}) compute it here, so the two cannot disagree.
   */
  public double loudnessRangeLu() {
    if (windows() == 0) {
      return 0;
    }
    double gate = lufs(meanEnergy(Double.NEGATIVE_INFINITY)) + RANGE_GATE_LU;
    long above = 0;
    for (int i = 0; i < counts.length; i++) {
      above += isAbove(i, gate) ? counts[i] : 0;
    }
    if (above == 0) {
      return 0;
    }
    return atRank(gate, tech3342Rank(above, HIGH_PERCENTILE))
        - atRank(gate, tech3342Rank(above, LOW_PERCENTILE));
  }

  /** The 0-based index of Tech 3342's 1-based rank; MATLAB's round takes halves up here. */
  private static long tech3342Rank(long n, int percentile) {
    return (long) Math.floor((n - 1) * percentile / 100.0 + 1 + 0.5) - 1;
  }

  /**
   * The loudness of the window at {@code rank} (from 0, quietest first) among those above the
   * threshold.
   */
  private double atRank(double thresholdLufs, long rank) {
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (isAbove(i, thresholdLufs)) {
        seen += counts[i];
        if (seen > rank) {
          return lufs(energies[i] / counts[i]);
        }
      }
    }
    throw new IllegalArgumentException("no window at rank " + rank);
  }

  private boolean isAbove(int i, double thresholdLufs) {
    return counts[i] > 0 && lufs(energies[i] / counts[i]) > thresholdLufs;
  }
}
