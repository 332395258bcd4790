package dev.concat.activities.ffmpeg;

import java.util.Optional;

/**
 * Reads FFmpeg's {@code -progress} output: blocks of {@code key=value} lines, each closed by {@code
 * progress=continue} or {@code progress=end}. Values FFmpeg does not know yet are {@code N/A}; they
 * keep the previous value, so time never goes backwards.
 */
public final class FfmpegProgressParser {
  private long outTimeMicros;
  private long totalSize;

  /** Feeds one line; returns the block's progress when the line closes a block. */
  public Optional<FfmpegProgress> accept(String line) {
    int eq = line.indexOf('=');
    if (eq < 0) {
      return Optional.empty();
    }
    String key = line.substring(0, eq).trim();
    String value = line.substring(eq + 1).trim();
    switch (key) {
      // out_time_ms is microseconds too (an old FFmpeg naming mistake); out_time_us says so.
      case "out_time_us" -> outTimeMicros = Math.max(outTimeMicros, parse(value, outTimeMicros));
      case "total_size" -> totalSize = Math.max(totalSize, parse(value, totalSize));
      case "progress" -> {
        return Optional.of(new FfmpegProgress(outTimeMicros, totalSize, value.equals("end")));
      }
      default -> {}
    }
    return Optional.empty();
  }

  private static long parse(String value, long fallback) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
