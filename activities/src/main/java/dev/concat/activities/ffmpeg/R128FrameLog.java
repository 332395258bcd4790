package dev.concat.activities.ffmpeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.DoubleStream;

/**
 * The values {@code ebur128=metadata=1} exports every 100 ms with three decimals, as {@code
 * ametadata=mode=print} writes them to a file: every short-term loudness (for the loudness range)
 * and the last running integrated loudness and true peak (those of the whole run). A file rather
 * than stderr: ten lines per 100 ms would bury FFmpeg's messages, and the process keeps only the
 * tail of its stderr.
 *
 * @param shortTermLufs every frame's S; minus infinity or NaN where the window was silent
 * @param integratedLufs the last frame's I, or null when no full frame was measured
 * @param truePeak the last frame's true peak, linear (not dB), or null
 */
record R128FrameLog(double[] shortTermLufs, Double integratedLufs, Double truePeak) {
  private static final String PREFIX = "lavfi.r128.";

  /**
   * The {@code ametadata} filter that writes the frame log to {@code file}, escaped for an option
   * value inside a filter graph (FFmpeg's two levels of quoting).
   */
  static String printer(Path file) {
    return "ametadata=mode=print:file=" + escape(escape(file.toString(), "\\':"), "\\'[],;");
  }

  static R128FrameLog read(Path file) throws IOException {
    var shortTerm = DoubleStream.builder();
    Double integrated = null;
    Double truePeak = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith(PREFIX)) {
          continue;
        }
        int equals = line.indexOf('=');
        String key = line.substring(PREFIX.length(), equals);
        switch (key) {
          case "S" -> shortTerm.add(number(line.substring(equals + 1)));
          case "I" -> integrated = number(line.substring(equals + 1));
          case "true_peak" -> truePeak = number(line.substring(equals + 1));
          default -> {}
        }
      }
    }
    return new R128FrameLog(shortTerm.build().toArray(), integrated, truePeak);
  }

  /** C's printf spelling of the values a silent window gives: -inf, inf, nan. */
  private static double number(String text) {
    return switch (text) {
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static String escape(String text, String special) {
    var escaped = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if (special.indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
