package dev.concat.activities.ffmpeg;

import dev.concat.contract.audio.EpisodeMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes tags and chapters as an FFMETADATA1 file, FFmpeg's text format for them. Given as a second
 * input with {@code -map_metadata 1 -map_chapters 1}, the MP3 muxer turns it into ID3v2 frames
 * (CHAP for chapters) and the MP4 muxer into iTunes atoms and a chapter track.
 */
public final class FfmpegMetadataFile {

  public static void write(Path file, EpisodeMetadata metadata, List<ChapterSpan> chapters)
      throws IOException {
    var text = new StringBuilder(";FFMETADATA1\n");
    if (metadata != null) {
      tag(text, "title", metadata.title());
      tag(text, "artist", metadata.artist());
      tag(text, "album", metadata.album());
      // The muxers map "track" to ID3 TRCK and MP4 trkn.
      tag(text, "track", metadata.episode() == null ? null : metadata.episode().toString());
    }
    for (ChapterSpan chapter : chapters) {
      text.append("[CHAPTER]\nTIMEBASE=1/1000\n")
          .append("START=")
          .append(chapter.startMillis())
          .append('\n')
          .append("END=")
          .append(chapter.endMillis())
          .append('\n');
      tag(text, "title", chapter.title());
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void tag(StringBuilder text, String key, String value) {
    if (value != null) {
      text.append(key).append('=').append(escape(value)).append('\n');
    }
  }

  /**
   * Unescaped, '=' would end the key, ';' and '#' at a line start make a comment, and a newline
   * ends the value; the reader takes the character after a backslash literally.
   */
  private static String escape(String value) {
    var escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '=' || c == ';' || c == '#' || c == '\\' || c == '\n') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  private FfmpegMetadataFile() {}
}
