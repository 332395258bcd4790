package dev.concat.activities.loudness;

/** BS.1770-4's weight of each channel's energy in the sum, by FFmpeg's default channel order. */
final class ChannelWeights {
  /** The surround channels' weight, +1.5 dB. */
  private static final double SURROUND = 1.41;

  static double[] of(int channels) {
    return switch (channels) {
      case 1 -> new double[] {1};
      case 2 -> new double[] {1, 1};
      // 5.1: front left, right and centre, LFE (not counted), surround left and right.
      case 6 -> new double[] {1, 1, 1, 0, SURROUND, SURROUND};
      default ->
          throw new IllegalArgumentException(
              "no BS.1770 channel weights for " + channels + " channels");
    };
  }

  private ChannelWeights() {}
}
