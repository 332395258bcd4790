package dev.concat.activities.ffmpeg;

import dev.concat.activities.OutputFormat;
import java.util.List;

/** How FFmpeg joins the segments. */
public enum ConcatMode {
  /**
   * Packets are copied: fast and lossless, but each join keeps the segment's encoder delay and
   * padding (about 26 ms per join for MP3), so it is used only when the request allows it.
   */
  COPY("copy"),
  /** Decoded and encoded once: gapless for MP3 inputs, and the only way to mix formats. */
  REENCODE("reencode");

  private final String label;

  ConcatMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Copy only when allowed, all inputs share one stream layout, and the output container holds that codec. */
  public static ConcatMode choose(List<AudioProbe> inputs, OutputFormat output, boolean allowCopy) {
    if (!allowCopy || inputs.isEmpty()) {
      return REENCODE;
    }
    AudioProbe first = inputs.get(0);
    boolean uniform = inputs.stream().allMatch(first::sameStreamAs);
    return uniform && first.codec().equals(output.codec()) ? COPY : REENCODE;
  }
}
