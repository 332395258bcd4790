package dev.concat.activities.ffmpeg;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EBU R128 measurement FFmpeg's {@code ebur128} filter prints at the end of a run.
 *
 * @param integratedLufs integrated loudness; FFmpeg reports silence as -70.0, the absolute gate
 * @param truePeakDb the highest true (oversampled) peak in dBFS; negative infinity for silence
 * @param loudnessRangeLu the loudness range (LRA)
 */
public record LoudnessSummary(double integratedLufs, double truePeakDb, double loudnessRangeLu) {
  /**
   * The filter to run over the audio (with {@code -af}, output {@code -f null -}). {@code peak=true}
   * adds the true-peak section; {@code framelog=verbose} moves the ten-per-second frame lines
   * below the default log level, so stderr at level info holds the summary and little else.
   */
  public static final String FILTER = "ebur128=peak=true:framelog=verbose";

  private static final String NUMBER = "(-?inf|-?\\d+(?:\\.\\d+)?)";
  // The log context is Parsed_ebur128_<n>, or the instance name given in a filter graph.
  private static final Pattern SUMMARY = Pattern.compile("^\\[[^\\]]+ @ [^\\]]+\\] Summary:$");
  private static final Pattern INTEGRATED = Pattern.compile("Integrated loudness:\\n\\s+I:\\s+" + NUMBER + " LUFS");
  private static final Pattern RANGE = Pattern.compile("Loudness range:\\n\\s+LRA:\\s+" + NUMBER + " LU\\n");
  // With peak=sample+true there is also a "Sample peak:" section whose line reads "Peak:" too.
  private static final Pattern TRUE_PEAK = Pattern.compile("True peak:\\n\\s+Peak:\\s+" + NUMBER + " dBFS");
  private static final int EXCERPT_CHARS = 300;

  /** Reads the last summary in {@code stderr}: a filter graph with several meters prints one each. */
  public static LoudnessSummary parse(String stderr) {
    String block = lastSummary(stderr);
    return new LoudnessSummary(value(INTEGRATED, block, "integrated loudness"), value(TRUE_PEAK, block, "true peak"),
        value(RANGE, block, "loudness range"));
  }

  /** The summary's lines: the header, then blank or indented lines up to the next log line. */
  private static String lastSummary(String stderr) {
    List<String> lines = stderr.lines().toList();
    int start = -1;
    for (int i = lines.size() - 1; i >= 0 && start < 0; i--) {
      if (SUMMARY.matcher(lines.get(i)).matches()) {
        start = i;
      }
    }
    if (start < 0) {
      throw new IllegalArgumentException("no ebur128 summary in FFmpeg's output: " + excerpt(tail(stderr)));
    }
    var block = new StringBuilder(lines.get(start)).append('\n');
    for (int i = start + 1; i < lines.size() && inBlock(lines.get(i)); i++) {
      block.append(lines.get(i).stripTrailing()).append('\n');
    }
    return block.toString();
  }

  private static boolean inBlock(String line) {
    return line.isBlank() || Character.isWhitespace(line.charAt(0));
  }

  private static double value(Pattern pattern, String block, String name) {
    Matcher matcher = pattern.matcher(block);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no " + name + " in the ebur128 summary: " + excerpt(block));
    }
    return switch (matcher.group(1)) {
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "inf" -> Double.POSITIVE_INFINITY;
      default -> Double.parseDouble(matcher.group(1));
    };
  }

  private static String tail(String text) {
    return text.length() > EXCERPT_CHARS ? "..." + text.substring(text.length() - EXCERPT_CHARS) : text;
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s*\\n\\s*", " | ");
    return oneLine.length() > EXCERPT_CHARS ? oneLine.substring(0, EXCERPT_CHARS) + "..." : oneLine;
  }
}
