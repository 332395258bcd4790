package dev.concat.activities.loudness;

/**
 * The true peak of BS.1770-4 Annex 2 written the plain way, as a second implementation for tests:
 * the audio followed by the silence the interpolator reaches, three zeros put after each sample,
 * convolved with the 97-tap Kaiser-windowed sinc (beta 6) point by point, no skipping. Output point
 * m is computed when input m / 4 is the newest in reach, and belongs to the sample {@link
 * TruePeak#DELAY} before that one.
 */
final class PlainTruePeak {
  private static final int FACTOR = 4;
  static final int TAPS = 97;

  private PlainTruePeak() {}

  /** The largest magnitude of the points of samples [countedFrom, countedTo). */
  static double of(float[] audio, long countedFrom, long countedTo) {
    double[] taps = taps();
    double peak = 0;
    for (long m = 0; m < (long) FACTOR * (audio.length + TruePeak.DELAY); m++) {
      long sample = m / FACTOR - TruePeak.DELAY;
      if (sample < countedFrom || sample >= countedTo) {
        continue;
      }
      double sum = 0;
      for (int j = 0; j < TAPS; j++) {
        long stuffed = m - j;
        if (stuffed >= 0 && stuffed % FACTOR == 0 && stuffed / FACTOR < audio.length) {
          sum += taps[j] * audio[(int) (stuffed / FACTOR)];
        }
      }
      peak = Math.max(peak, Math.abs(sum));
    }
    return peak;
  }

  /** sinc((j - 48) / 4) times the Kaiser window; checked against numpy's kaiser and sinc. */
  static double[] taps() {
    double[] taps = new double[TAPS];
    double centre = (TAPS - 1) / 2.0;
    for (int j = 0; j < TAPS; j++) {
      double x = Math.PI * (j - centre) / FACTOR;
      // sin(k pi) is 0, where Math.sin gives about 1e-16.
      double sinc = x == 0 ? 1 : (j - centre) % FACTOR == 0 ? 0 : Math.sin(x) / x;
      double ratio = (j - centre) / centre;
      taps[j] = sinc * i0(6 * Math.sqrt(1 - ratio * ratio)) / i0(6);
    }
    return taps;
  }

  /** The modified Bessel function of the first kind, order 0: sum of ((x / 2)^k / k!)^2. */
  private static double i0(double x) {
    double sum = 0;
    double term = 1;
    for (int k = 1; k < 60; k++) {
      sum += term * term;
      term *= x / 2 / k;
    }
    return sum;
  }
}
