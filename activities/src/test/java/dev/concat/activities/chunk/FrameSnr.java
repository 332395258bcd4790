package dev.concat.activities.chunk;

import java.util.Arrays;

/**
 * SNR of a decoded stream against its source, one value per codec frame: frame j of a stream
 * decoded from sample 0 (delay already dropped) carries source samples [F j - D, F j + F - D) for
 * frames of F samples and a delay of D: [1152j - 1105, 1152j + 47) for LAME's MP3, [1024j - 1024,
 * 1024j) for FFmpeg's AAC. Frames whose source is nearly silent have no meaningful SNR and are NaN.
 */
final class FrameSnr {
  private static final int MP3_FRAME = 1152;
  private static final int MP3_DELAY = 1105;

  /** About -70 dBFS a sample: below it, rounding noise decides the ratio. */
  private static final double SILENT_POWER = 10.0;

  private final double[] snrDb;

  /** Per MP3 frame. */
  FrameSnr(short[] source, short[] decoded, int channels, long frames) {
    this(source, decoded, channels, frames, MP3_FRAME, MP3_DELAY);
  }

  FrameSnr(short[] source, short[] decoded, int channels, long frames, int frame, int delay) {
    if (source.length != decoded.length) {
      throw new AssertionError(
          "decoded " + decoded.length / channels + " samples of " + source.length / channels);
    }
    long samples = source.length / channels;
    snrDb = new double[(int) frames];
    for (int j = 0; j < frames; j++) {
      long from = Math.max(0, (long) frame * j - delay);
      long to = Math.min(samples, (long) frame * j + frame - delay);
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
