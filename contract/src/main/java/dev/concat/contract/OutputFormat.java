package dev.concat.contract;

import java.util.Locale;
import java.util.Optional;

/**
 * The output containers concat writes, chosen by the output key's extension. Pure data, so the
 * workflow may use it to reject an unsupported output before any work starts.
 */
public enum OutputFormat {
  /** What podcast hosts expect; the default. */
  MP3("mp3", "audio/mpeg", "mp3", "mp3", "libmp3lame"),
  M4A("m4a", "audio/mp4", "aac", "ipod", "aac");

  private final String extension;
  private final String contentType;
  private final String codec;
  private final String muxer;
  private final String encoder;

  OutputFormat(String extension, String contentType, String codec, String muxer, String encoder) {
    this.extension = extension;
    this.contentType = contentType;
    this.codec = codec;
    this.muxer = muxer;
    this.encoder = encoder;
  }

  public static Optional<OutputFormat> forExtension(String extension) {
    String ext = extension.toLowerCase(Locale.ROOT);
    for (OutputFormat format : values()) {
      if (format.extension.equals(ext)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The codec name (as ffprobe reports it) that this container holds without re-encoding. */
  public String codec() {
    return codec;
  }

  /**
   * FFmpeg's muxer name, given explicitly because the temporary output name ends in .partial.ext.
   */
  public String muxer() {
    return muxer;
  }

  /** FFmpeg's encoder for re-encoding into this container. */
  public String encoder() {
    return encoder;
  }
}
