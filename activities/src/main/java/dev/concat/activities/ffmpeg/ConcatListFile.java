package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the concat demuxer's input list: one {@code file '<path>'} line per segment, in order. */
final class ConcatListFile {

  static void write(Path listFile, List<Path> segments) throws IOException {
    var text = new StringBuilder("ffconcat version 1.0\n");
    for (Path segment : segments) {
      // Inside single quotes the demuxer ends the quote at ', so a quote is written as '\''.
      text.append("file '")
          .append(segment.toAbsolutePath().toString().replace("'", "'\\''"))
          .append("'\n");
      // Each listed file opens only through an audio demuxer: never a playlist or another list.
      text.append("option format_whitelist ").append(InputOptions.AUDIO_DEMUXERS).append('\n');
    }
    Files.writeString(listFile, text, StandardCharsets.UTF_8);
  }

  private ConcatListFile() {}
}
