package dev.concat.activities.ffmpeg;

/** How FFmpeg joins the segments. */
public enum ConcatMode {
  /**
   * Packets are copied: fast and lossless, but each join keeps the segment's encoder delay and
   * padding (39 ms a join measured for MP3), so it is used only when the request allows it.
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
}
