package dev.concat.contract.audio;

/**
 * Trimming of silence at the start and end of every segment, asked for by the field's presence.
 * Silence inside a segment is never touched.
 *
 * @param thresholdDb below this level (dBFS) audio counts as silence (default -50)
 */
public record SilenceTrim(Double thresholdDb) {
  public static final SilenceTrim DEFAULTS = new SilenceTrim(-50.0);

  public SilenceTrim withDefaults() {
    return new SilenceTrim(thresholdDb == null ? DEFAULTS.thresholdDb : thresholdDb);
  }
}
