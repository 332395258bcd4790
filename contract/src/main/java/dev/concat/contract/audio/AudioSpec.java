package dev.concat.contract.audio;

import java.util.List;

/**
 * What a job asks of the output's audio, defaults applied: how to encode it, and which of the
 * optional treatments to apply.
 *
 * @param encoding bit rate, sample rate and channels, all set
 * @param loudness the loudness target, or null for none
 * @param trimSilence silence trimming at the segments' ends, or null to keep them as they are
 * @param gapMs silence between segments, in milliseconds (0 for none)
 * @param crossfadeMs overlap between segments, in milliseconds (0 for none)
 * @param metadata tags and cover, or null for none
 * @param chapters chapters in order, or empty for none
 */
public record AudioSpec(
    Encoding encoding,
    Loudness loudness,
    SilenceTrim trimSilence,
    int gapMs,
    int crossfadeMs,
    EpisodeMetadata metadata,
    List<Chapter> chapters) {

  public static final AudioSpec DEFAULT =
      new AudioSpec(Encoding.DEFAULTS, null, null, 0, 0, null, List.of());

  public AudioSpec {
    encoding = encoding == null ? Encoding.DEFAULTS : encoding.withDefaults();
    loudness = loudness == null ? null : loudness.withDefaults();
    trimSilence = trimSilence == null ? null : trimSilence.withDefaults();
    chapters = chapters == null ? List.of() : List.copyOf(chapters);
  }

  /**
   * Whether every segment must be decoded on its own first (to trim it, or to know its exact
   * length).
   */
  public boolean needsSegmentsDecoded() {
    return trimSilence != null || gapMs > 0 || crossfadeMs > 0 || !chapters.isEmpty();
  }

  /** Whether the audio itself must change, which rules out stream copy. */
  public boolean changesAudio() {
    return loudness != null || trimSilence != null || gapMs > 0 || crossfadeMs > 0;
  }

  public String cover() {
    return metadata == null ? null : metadata.cover();
  }
}
