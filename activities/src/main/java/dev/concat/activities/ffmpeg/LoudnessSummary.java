package dev.concat.activities.ffmpeg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EBU R128 measurement FFmpeg's {@code ebur128} filter makes of a run: its summary at the end,
 * which rounds to 0.1, refined by the per-frame values it exports with three decimals.
 *
 * @param integratedLufs integrated loudness; FFmpeg reports silence as -70.0, the absolute gate
 * @param truePeakDb the highest true (oversampled) peak in dBFS; negative infinity for silence
 * @param loudnessRangeLu the loudness range (LRA)
 */
public record LoudnessSummary(double integratedLufs, double truePeakDb, double loudnessRangeLu) {
  /**
   * The filters to run over the audio (with {@code -af}, output {@code -f null -}). {@code peak=true}
   * adds the true-peak section; {@code framelog=verbose} moves the meter's own frame lines below
   * the log level. {@code metadata=1} and {@code ametadata=print} log its running values every
   * 100 ms with three decimals (the summary's 0.1 LU steps are too coarse for a ±0.1 LU target);
   * the last frame's values are those of the whole run.
   */
  public static final String FILTER = "ebur128=peak=true:metadata=1:framelog=verbose,ametadata=mode=print";

  private static final String NUMBER = "(-?inf|-?\\d+(?:\\.\\d+)?)";
  // The log context is Parsed_ebur128_<n>, or the instance name given in a filter graph.
  private static final Pattern SUMMARY = Pattern.compile("^\\[[^\\]]+ @ [^\\]]+\\] Summary:$");
  private static final Pattern INTEGRATED = Pattern.compile("Integrated loudness:\\n\\s+I:\\s+" + NUMBER + " LUFS");
  private static final Pattern RANGE = Pattern.compile("Loudness range:\\n\\s+LRA:\\s+" + NUMBER + " LU\\n");
  // With peak=sample+true there is also a "Sample peak:" section whose line reads "Peak:" too.
  private static final Pattern TRUE_PEAK = Pattern.compile("True peak:\\n\\s+Peak:\\s+" + NUMBER + " dBFS");
  private static final Pattern FRAME_VALUE = Pattern.compile("\\] lavfi\\.r128\\.(I|LRA|true_peak)=(-?\\d+\\.\\d+)$");
  /** Half the summary's 0.1 dB step: how far the rounded summary may lie from the true value. */
  private static final double SUMMARY_ROUNDING = 0.05;
  private static final int EXCERPT_CHARS = 300;

  /** Reads the last summary in {@code stderr}: a filter graph with several meters prints one each. */
  public static LoudnessSummary parse(String stderr) {
    List<String> lines = stderr.lines().toList();
    int start = lastSummary(lines, stderr);
    String block = block(lines, start);
    var rounded = new LoudnessSummary(value(INTEGRATED, block, "integrated loudness"),
        value(TRUE_PEAK, block, "true peak"), value(RANGE, block, "loudness range"));
    return rounded.refinedBy(lastFrameValues(lines.subList(0, start)));
  }

  /**
   * The summary with the last frame's three-decimal values where they agree with it. The last
   * frame ends at the last full 100 ms, so every gating block is in its I and LRA; but a true
   * peak in the final few milliseconds is only in the summary, which then wins.
   */
  private LoudnessSummary refinedBy(Map<String, Double> frame) {
    double integrated = frame.getOrDefault("I", integratedLufs);
    double range = frame.getOrDefault("LRA", loudnessRangeLu);
    double peak = truePeakDb;
    if (frame.containsKey("true_peak")) {
      double framePeakDb = 20 * Math.log10(frame.get("true_peak"));
      peak = framePeakDb >= truePeakDb - SUMMARY_ROUNDING ? framePeakDb : truePeakDb;
    }
    return new LoudnessSummary(integrated, peak, range);
  }

  /** The last value of each key that ametadata printed (true_peak is linear, not dB). */
  private static Map<String, Double> lastFrameValues(List<String> lines) {
    Map<String, Double> values = new HashMap<>();
    for (int i = lines.size() - 1; i >= 0 && values.size() < 3; i--) {
      Matcher matcher = FRAME_VALUE.matcher(lines.get(i));
      if (matcher.find()) {
        values.putIfAbsent(matcher.group(1), Double.parseDouble(matcher.group(2)));
      }
    }
    return values;
  }

  /** The index of the last summary's header line. */
  private static int lastSummary(List<String> lines, String stderr) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (SUMMARY.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    throw new IllegalArgumentException("no ebur128 summary in FFmpeg's output: " + excerpt(tail(stderr)));
  }

  /** The summary's lines: the header, then blank or indented lines up to the next log line. */
  private static String block(List<String> lines, int start) {
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
