package dev.concat.activities.chunk;

import java.util.Arrays;

/**
 * SNR of a decoded MP3 against its source, one value per MP3 frame: frame j of a stream decoded
 * from sample 0 (delay already dropped) carries source samples [1152j - 1105, 1152j + 47). Frames
 * whose source is nearly silent have no meaningful SNR and are NaN.
 */
final class FrameSnr {
  private static final int FRAME = 1152;
  private static final int DELAY = 1105;

  /** About -70 dBFS a sample: below it, rounding noise decides the ratio. */
  private static final double SILENT_POWER = 10.0;

  private final double[] snrDb;

  FrameSnr(short[] source, short[] decoded, int channels, long frames) {
    if (source.length != decoded.length) {
      throw new AssertionError(
          "decoded " + decoded.length / channels + " samples of " + source.length / channels);
    }
    long samples = source.length / channels;
    snrDb = new double[(int) frames];
    for (int j = 0; j < frames; j++) {
      long from = Math.max(0, (long) FRAME * j - DELAY);
      long to = Math.min(samples, (long) FRAME * j + FRAME - DELAY);
      double signal = 0;
      double noise = 0;
      for (long i = from * channels; i < to * channels; i++) {
        double s = source[(int) i];
        double e = s - decoded[(int) i];
        signal += s * s;
        noise += e * e;
      }
      long n = Math.max(1, (to - from) * channels);
      snrDb[j] =
          signal / n < SILENT_POWER ? Double.NaN : 10 * Math.log10(signal / Math.max(noise, 1e-9));
    }
  }

  double at(long frame) {
    return snrDb[(int) frame];
  }

  double mean() {
    return Arrays.stream(snrDb).filter(v -> !Double.isNaN(v)).average().orElseThrow();
  }

  /** The value below which {@code percent} of the frames lie. */
  double percentile(double percent) {
    double[] sorted = Arrays.stream(snrDb).filter(v -> !Double.isNaN(v)).sorted().toArray();
    return sorted[(int) Math.floor(percent / 100 * (sorted.length - 1))];
  }
}
