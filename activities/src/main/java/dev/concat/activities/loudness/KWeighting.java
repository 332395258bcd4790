package dev.concat.activities.loudness;

/**
 * The K-weighting of ITU-R BS.1770-4 for one channel: a high shelf (the head's effect) then a high
 * pass (the RLB curve). The coefficients are derived from the sample rate with the analogue
 * prototype's constants, as libebur128 and FFmpeg's {@code ebur128} do, so 44.1 kHz is weighted
 * exactly too; at 48 kHz they equal the table in the recommendation.
 */
final class KWeighting {
  private final Biquad shelf;
  private final Biquad highPass;

  KWeighting(int sampleRate) {
    double k = Math.tan(Math.PI * 1681.974450955533 / sampleRate);
    double q = 0.7071752369554196;
    double vh = Math.pow(10, 3.999843853973347 / 20);
    double vb = Math.pow(vh, 0.4996667741545416);
    double a0 = 1 + k / q + k * k;
    shelf =
        new Biquad(
            (vh + vb * k / q + k * k) / a0,
            2 * (k * k - vh) / a0,
            (vh - vb * k / q + k * k) / a0,
            2 * (k * k - 1) / a0,
            (1 - k / q + k * k) / a0);
    k = Math.tan(Math.PI * 38.13547087602444 / sampleRate);
    q = 0.5003270373238773;
    a0 = 1 + k / q + k * k;
    highPass = new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
  }

  double apply(double sample) {
    return highPass.apply(shelf.apply(sample));
  }

  /** A second-order section in transposed direct form II, normalised so that a0 = 1. */
  private static final class Biquad {
    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double z1;
    private double z2;

    Biquad(double b0, double b1, double b2, double a1, double a2) {
      this.b0 = b0;
      this.b1 = b1;
      this.b2 = b2;
      this.a1 = a1;
      this.a2 = a2;
    }

    double apply(double x) {
      double y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      return y;
    }
  }
}
