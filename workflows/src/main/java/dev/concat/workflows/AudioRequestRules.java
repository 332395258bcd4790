package dev.concat.workflows;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a request's audio fields may hold: the values the encoders accept, the fields that exclude
 * each other, and tags and chapters a player can show. Pure and deterministic, like {@link
 * RequestValidator}, which calls it from workflow code.
 */
final class AudioRequestRules {
  /** The MPEG-1, -2 and -2.5 rates; AAC in M4A takes the same ones. */
  private static final List<Integer> SAMPLE_RATES =
      List.of(8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000);

  /** Below this rate an MP3 is MPEG-2 or 2.5, whose bit rates run from 8 to 160 kb/s only. */
  private static final int MPEG1_MIN_RATE = 32_000;

  /** Ten seconds of silence or overlap between segments is already far past any editing intent. */
  private static final int MAX_JOIN_MS = 10_000;

  private static final int MAX_TAG_LENGTH = 1_000;
  private static final int MAX_CHAPTER_TITLE_LENGTH = 500;
  private static final int MAX_EPISODE = 1_000_000;
  private static final Set<String> COVER_EXTENSIONS = Set.of("jpg", "jpeg", "png");

  private AudioRequestRules() {}

  /**
   * Every problem with the request's audio fields, each a sentence naming the field.
   *
   * @param format the output's format, or null when the output is invalid; the checks that depend
   *     on it are then skipped
   */
  static List<String> problems(ConcatRequest request, OutputFormat format) {
    List<String> problems = new ArrayList<>();
    checkEncoding(request.encoding(), format, problems);
    checkStreamCopy(request, problems);
    if (request.loudness() != null) {
      checkRange(
          "loudness.integratedLufs",
          request.loudness().integratedLufs(),
          -40,
          -5,
          "LUFS",
          problems);
      checkRange("loudness.truePeakDb", request.loudness().truePeakDb(), -9, 0, "dBTP", problems);
    }
    if (request.trimSilence() != null) {
      checkRange(
          "trimSilence.thresholdDb",
          request.trimSilence().thresholdDb(),
          -90,
          -20,
          "dBFS",
          problems);
    }
    checkRange("gapMs", request.gapMs(), 0, MAX_JOIN_MS, "ms", problems);
    checkRange("crossfadeMs", request.crossfadeMs(), 0, MAX_JOIN_MS, "ms", problems);
    if (isPositive(request.gapMs()) && isPositive(request.crossfadeMs())) {
      problems.add(
          "gapMs and crossfadeMs exclude each other (a pause or an overlap between segments); set only one");
    }
    checkMetadata(request.metadata(), request.output(), problems);
    checkChapters(
        request.chapters(), request.segments() == null ? 0 : request.segments().size(), problems);
    return problems;
  }

  private static void checkEncoding(Encoding encoding, OutputFormat format, List<String> problems) {
    if (encoding == null) {
      return;
    }
    Integer rate = encoding.sampleRate();
    if (rate != null && !SAMPLE_RATES.contains(rate)) {
      String rates = SAMPLE_RATES.stream().map(String::valueOf).collect(Collectors.joining(", "));
      String name = format == null ? "MP3 or M4A" : format.name();
      problems.add(
          "encoding.sampleRate " + rate + " is not a rate " + name + " supports (" + rates + ")");
    }
    Integer channels = encoding.channels();
    if (channels != null && channels != 1 && channels != 2) {
      problems.add("encoding.channels " + channels + " must be 1 (mono) or 2 (stereo)");
    }
    if (encoding.bitrateKbps() != null && format != null) {
      checkBitrate(encoding.bitrateKbps(), encoding.withDefaults().sampleRate(), format, problems);
    }
  }

  private static void checkBitrate(
      int kbps, int sampleRate, OutputFormat format, List<String> problems) {
    boolean m4a = format == OutputFormat.M4A;
    boolean mpeg1 = sampleRate >= MPEG1_MIN_RATE;
    int min = m4a ? 16 : mpeg1 ? 32 : 8;
    int max = m4a || mpeg1 ? 320 : 160;
    if (kbps < min || kbps > max) {
      String range =
          m4a
              ? "M4A's range"
              : "MP3's range at " + sampleRate + " Hz" + (mpeg1 ? "" : " (MPEG-2/2.5)");
      problems.add(
          "encoding.bitrateKbps " + kbps + " is outside " + min + ".." + max + " kb/s, " + range);
    }
  }

  private static void checkStreamCopy(ConcatRequest request, List<String> problems) {
    if (!request.streamCopyAllowed()) {
      return;
    }
    if (request.encoding() != null && request.encoding().anyFieldSet()) {
      problems.add(
          "allowStreamCopy keeps the inputs' encoding; remove encoding or allowStreamCopy");
    }
    Map<String, Boolean> changes = new LinkedHashMap<>();
    changes.put("loudness", request.loudness() != null);
    changes.put("trimSilence", request.trimSilence() != null);
    changes.put("gapMs", isPositive(request.gapMs()));
    changes.put("crossfadeMs", isPositive(request.crossfadeMs()));
    changes.forEach(
        (field, set) -> {
          if (set) {
            problems.add(
                field
                    + " changes the audio, so it cannot be stream-copied; remove "
                    + field
                    + " or allowStreamCopy");
          }
        });
  }

  private static void checkMetadata(
      EpisodeMetadata metadata, String output, List<String> problems) {
    if (metadata == null) {
      return;
    }
    checkText("metadata.title", metadata.title(), MAX_TAG_LENGTH, problems);
    checkText("metadata.artist", metadata.artist(), MAX_TAG_LENGTH, problems);
    checkText("metadata.album", metadata.album(), MAX_TAG_LENGTH, problems);
    checkRange("metadata.episode", metadata.episode(), 0, MAX_EPISODE, "", problems);
    if (!metadata.hasCover()) {
      return;
    }
    String cover = metadata.cover();
    var coverProblem = S3Uri.problem(cover);
    if (coverProblem.isPresent()) {
      problems.add("metadata.cover: " + coverProblem.get());
      return;
    }
    if (!COVER_EXTENSIONS.contains(S3Uri.parse(cover).extension())) {
      problems.add("metadata.cover '" + cover + "' must end in .jpg, .jpeg or .png");
    }
    if (cover.equals(output)) {
      problems.add(
          "metadata.cover '" + cover + "' is also the output; the output would overwrite it");
    }
  }

  private static void checkChapters(List<Chapter> chapters, int segments, List<String> problems) {
    if (chapters == null || chapters.isEmpty()) {
      return;
    }
    if (segments > 0 && chapters.size() > segments) {
      problems.add(
          "chapters: "
              + chapters.size()
              + " chapters for "
              + segments
              + " segments; each chapter starts at a segment of its own");
    }
    Integer previous = null;
    for (int i = 0; i < chapters.size(); i++) {
      String name = "chapters[" + i + "]";
      Chapter chapter = chapters.get(i);
      if (chapter == null) {
        problems.add(name + " is empty");
        continue;
      }
      Integer first = chapter.firstSegment();
      if (first == null) {
        problems.add(name + ": firstSegment is missing");
      } else if (segments > 0 && (first < 0 || first >= segments)) {
        problems.add(
            name
                + ": firstSegment "
                + first
                + " is outside 0.."
                + (segments - 1)
                + ", the segments' indexes");
      } else if (i == 0 && first != 0) {
        problems.add(
            name
                + ": firstSegment is "
                + first
                + ", but the first chapter must start at segment 0 so that the chapters cover the whole episode");
      } else if (previous != null && first <= previous) {
        problems.add(
            name + ": firstSegment " + first + " must be after the previous chapter's " + previous);
      }
      if (first != null) {
        previous = first;
      }
      if (chapter.title() == null || chapter.title().isBlank()) {
        problems.add(name + ": title is blank");
      } else {
        checkText(name + ": title", chapter.title(), MAX_CHAPTER_TITLE_LENGTH, problems);
      }
    }
  }

  private static void checkText(String field, String text, int maxLength, List<String> problems) {
    if (text == null) {
      return;
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxLength) {
      problems.add(field + " is " + length + " characters long, more than " + maxLength);
    }
    text.codePoints()
        .filter(c -> c < 0x20 || c == 0x7f)
        .findFirst()
        .ifPresent(
            c ->
                problems.add(
                    field
                        + " contains the control character U+"
                        + String.format("%04X", c)
                        + "; tags are one line of text"));
  }

  /** A value outside min..max, NaN included, is a problem; an absent one is not. */
  private static void checkRange(
      String field, Number value, int min, int max, String unit, List<String> problems) {
    if (value == null) {
      return;
    }
    double v = value.doubleValue();
    if (!(v >= min && v <= max)) {
      problems.add(
          field
              + " "
              + value
              + " is outside "
              + min
              + ".."
              + max
              + (unit.isEmpty() ? "" : " " + unit));
    }
  }

  private static boolean isPositive(Integer value) {
    return value != null && value > 0;
  }
}
