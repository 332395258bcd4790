package dev.concat.contract.audio;

/**
 * How the output is encoded when it is re-encoded; any null field takes its default.
 *
 * @param bitrateKbps the encoder's target bit rate in kb/s (default 128)
 * @param sampleRate samples per second of the output (default 44100)
 * @param channels 1 (mono) or 2 (stereo) (default 2)
 */
public record Encoding(Integer bitrateKbps, Integer sampleRate, Integer channels) {
  /** The common podcast delivery settings. */
  public static final Encoding DEFAULTS = new Encoding(128, 44_100, 2);

  public Encoding withDefaults() {
    return new Encoding(
        bitrateKbps == null ? DEFAULTS.bitrateKbps : bitrateKbps,
        sampleRate == null ? DEFAULTS.sampleRate : sampleRate,
        channels == null ? DEFAULTS.channels : channels);
  }

  /**
   * Whether the request set any field; copy keeps the inputs' own encoding, so the two exclude each
   * other.
   */
  public boolean anyFieldSet() {
    return bitrateKbps != null || sampleRate != null || channels != null;
  }
}
