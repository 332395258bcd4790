package dev.concat.activities.ffmpeg;

import java.util.Objects;

/**
 * One chapter of the finished episode, in output time.
 *
 * @param title the chapter's name, shown by players in their chapter list
 * @param startMillis where the chapter starts, in milliseconds from the start of the audio
 * @param endMillis where it ends (exclusive); not before the start
 */
public record ChapterSpan(String title, long startMillis, long endMillis) {

  public ChapterSpan {
    Objects.requireNonNull(title, "title");
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException(
          "chapter '" + title + "' spans " + startMillis + "-" + endMillis + " ms");
    }
  }
}
