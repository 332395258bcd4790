package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EBU R128 measurement of a run: FFmpeg's {@code ebur128} summary at the end of stderr, which
 * rounds to 0.1, refined by the three-decimal values of its frame log ({@link R128FrameLog}), with
 * the loudness range computed from the log's short-term values as EBU Tech 3342 defines it ({@link
 * LoudnessRange}).
 *
 * @param integratedLufs integrated loudness; FFmpeg reports silence as -70.0, the absolute gate
 * @param truePeakDb the highest true (oversampled) peak in dBFS; negative infinity for silence
 * @param loudnessRangeLu the loudness range (LRA)
 */
public record LoudnessSummary(double integratedLufs, double truePeakDb, double loudnessRangeLu) {
  private static final String NUMBER = "(-?inf|-?\\d+(?:\\.\\d+)?)";
  // The log context is Parsed_ebur128_<n>, or the instance name given in a filter graph.
  private static final Pattern SUMMARY = Pattern.compile("^\\[[^\\]]+ @ [^\\]]+\\] Summary:$");
  private static final Pattern INTEGRATED =
      Pattern.compile("Integrated loudness:\\n\\s+I:\\s+" + NUMBER + " LUFS");
  private static final Pattern RANGE =
      Pattern.compile("Loudness range:\\n\\s+LRA:\\s+" + NUMBER + " LU\\n");
  // With peak=sample+true there is also a "Sample peak:" section whose line reads "Peak:" too.
  private static final Pattern TRUE_PEAK =
      Pattern.compile("True peak:\\n\\s+Peak:\\s+" + NUMBER + " dBFS");

  /** Half the summary's 0.1 dB step: how far the rounded summary may lie from the true value. */
  private static final double SUMMARY_ROUNDING = 0.05;

  /**
   * Half the frame log's last decimal of the linear true peak (0.03 dB at -17 dBFS, 0.14 dB at
   * -30).
   */
  private static final double FRAME_PEAK_ROUNDING = 0.0005;

  private static final int EXCERPT_CHARS = 300;

  /**
   * The filters to run over the audio (with {@code -af}, output {@code -f null -}), writing the
   * frame log to {@code frameLog}. {@code peak=true} adds the true-peak section; {@code
   * framelog=verbose} keeps the meter's own per-frame lines below the log level; {@code metadata=1}
   * exports its running values every 100 ms with three decimals (the summary's 0.1 LU steps are too
   * coarse for a ±0.1 LU target), which {@code ametadata} writes to the file.
   */
  public static String filter(Path frameLog) {
    return "ebur128=peak=true:metadata=1:framelog=verbose," + R128FrameLog.printer(frameLog);
  }

  /**
   * Reads the last summary in {@code stderr} (a filter graph with several meters prints one each)
   * and the frame log that {@link #filter} wrote.
   */
  public static LoudnessSummary read(String stderr, Path frameLog) throws IOException {
    return parse(stderr, R128FrameLog.read(frameLog));
  }

  static LoudnessSummary parse(String stderr, R128FrameLog frames) {
    List<String> lines = stderr.lines().toList();
    String block = block(lines, lastSummary(lines, stderr));
    var rounded =
        new LoudnessSummary(
            value(INTEGRATED, block, "integrated loudness"),
            value(TRUE_PEAK, block, "true peak"),
            value(RANGE, block, "loudness range"));
    return rounded.refinedBy(frames);
  }

  /**
   * The summary with the frame log's values. The last frame ends at the last full 100 ms, so every
   * gating block is in its I and every short-term window in the range.
   */
  private LoudnessSummary refinedBy(R128FrameLog frames) {
    double integrated = frames.integratedLufs() == null ? integratedLufs : frames.integratedLufs();
    double range =
        frames.shortTermLufs().length == 0
            ? loudnessRangeLu
            : LoudnessRange.of(frames.shortTermLufs());
    double peak = frames.truePeak() == null ? truePeakDb : truePeakWithin(frames.truePeak());
    return new LoudnessSummary(integrated, peak, range);
  }

  /**
   * The true peak both roundings allow: the summary's (±0.05 dB) and the frame log's linear value
   * (±0.0005), each coarser than the other at some level; the middle of where they overlap. When
   * they do not overlap, the peak lies in the final few milliseconds after the last full frame,
   * which only the summary saw.
   */
  private double truePeakWithin(double frameLinear) {
    double frameLow =
        frameLinear > FRAME_PEAK_ROUNDING
            ? 20 * Math.log10(frameLinear - FRAME_PEAK_ROUNDING)
            : Double.NEGATIVE_INFINITY;
    double low = Math.max(truePeakDb - SUMMARY_ROUNDING, frameLow);
    double high =
        Math.min(truePeakDb + SUMMARY_ROUNDING, 20 * Math.log10(frameLinear + FRAME_PEAK_ROUNDING));
    if (low > high) {
      return truePeakDb;
    }
    return low == Double.NEGATIVE_INFINITY ? high : (low + high) / 2;
  }

  /** The index of the last summary's header line. */
  private static int lastSummary(List<String> lines, String stderr) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (SUMMARY.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "no ebur128 summary in FFmpeg's output: " + excerpt(tail(stderr)));
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
      throw new IllegalArgumentException(
          "no " + name + " in the ebur128 summary: " + excerpt(block));
    }
    return switch (matcher.group(1)) {
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "inf" -> Double.POSITIVE_INFINITY;
      default -> Double.parseDouble(matcher.group(1));
    };
  }

  private static String tail(String text) {
    return text.length() > EXCERPT_CHARS
        ? "..." + text.substring(text.length() - EXCERPT_CHARS)
        : text;
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s*\\n\\s*", " | ");
    return oneLine.length() > EXCERPT_CHARS ? oneLine.substring(0, EXCERPT_CHARS) + "..." : oneLine;
  }
}
