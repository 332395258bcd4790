package dev.concat.contract.audio;

/**
 * Loudness normalisation, asked for by the field's presence; null fields take the podcast defaults
 * (Apple's and Spotify's spoken-word targets).
 *
 * @param integratedLufs the integrated loudness to reach (default -16 LUFS)
 * @param truePeakDb the ceiling for the true peak (default -1 dBTP)
 */
public record Loudness(Double integratedLufs, Double truePeakDb) {
  public static final Loudness DEFAULTS = new Loudness(-16.0, -1.0);

  public Loudness withDefaults() {
    return new Loudness(
        integratedLufs == null ? DEFAULTS.integratedLufs : integratedLufs,
        truePeakDb == null ? DEFAULTS.truePeakDb : truePeakDb);
  }
}
