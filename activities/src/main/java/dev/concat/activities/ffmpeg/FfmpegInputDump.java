package dev.concat.activities.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code ffmpeg -i a -i b ...} (with no output) prints about its inputs: one {@code
 * Input #k} block per file with its duration and streams, or, at the first file it cannot open,
 * {@code <path>: <reason>} (FFmpeg 5 and 6) or {@code Error opening input: <reason>} and {@code
 * Error opening input file <path>.} (FFmpeg 7). One FFmpeg process describes a whole batch of
 * segments this way; an ffprobe per segment costs about 0.1 s of CPU each, which for 1,000 segments
 * is most of a job's time.
 */
final class FfmpegInputDump {
  private static final Pattern INPUT = Pattern.compile("^Input #(\\d+), .*, from '(.*)':$");
  private static final Pattern DURATION =
      Pattern.compile(
          "^\\s+Duration: (N/A|(\\d+):(\\d+):(\\d+(?:\\.\\d+)?))(?:, start: (-?\\d+(?:\\.\\d+)?))?");
  private static final Pattern AUDIO =
      Pattern.compile(
          "^\\s+Stream #(\\d+):\\d+\\S*: Audio: ([^\\s,(]+)[^,]*(?:, [^,]*?)??, (\\d+) Hz, ([^,]+)");
  private static final Pattern OPEN_ERROR =
      Pattern.compile("^\\[in#\\d+ @ [^\\]]+\\] Error opening input: (.*)$");

  /**
   * A demuxer the input options do not allow, e.g. {@code [hls @ 0x55..] Format not on whitelist
   * 'mp3,...'}.
   */
  private static final Pattern REFUSED_FORMAT =
      Pattern.compile("^\\[(\\w+) @ [^\\]]+\\] Format not on whitelist");

  private static final Pattern CHANNELS = Pattern.compile("(\\d+) channels");

  /** FFmpeg's names of channel layouts, by channel count (libavutil's channel_layout_map). */
  private static final Map<String, Integer> LAYOUTS =
      Map.ofEntries(
          Map.entry("mono", 1),
          Map.entry("stereo", 2),
          Map.entry("downmix", 2),
          Map.entry("2.1", 3),
          Map.entry("3.0", 3),
          Map.entry("3.0(back)", 3),
          Map.entry("4.0", 4),
          Map.entry("quad", 4),
          Map.entry("quad(side)", 4),
          Map.entry("3.1", 4),
          Map.entry("5.0", 5),
          Map.entry("5.0(side)", 5),
          Map.entry("4.1", 5),
          Map.entry("5.1", 6),
          Map.entry("5.1(side)", 6),
          Map.entry("6.0", 6),
          Map.entry("6.0(front)", 6),
          Map.entry("hexagonal", 6),
          Map.entry("6.1", 7),
          Map.entry("6.1(back)", 7),
          Map.entry("6.1(front)", 7),
          Map.entry("7.0", 7),
          Map.entry("7.0(front)", 7),
          Map.entry("7.1", 8),
          Map.entry("7.1(wide)", 8),
          Map.entry("7.1(wide-side)", 8),
          Map.entry("octagonal", 8));

  /** What the dump says about one input. */
  sealed interface Entry permits Usable, Unusable {}

  record Usable(AudioProbe probe) implements Entry {}

  record Unusable(String reason) implements Entry {}

  private FfmpegInputDump() {}

  /**
   * The entries for {@code files}, in order, up to and including the first unusable one (FFmpeg
   * stops there). Fewer entries than files without an unusable one means the dump was cut short.
   */
  static List<Entry> parse(String stderr, List<Path> files) {
    List<Entry> entries = new ArrayList<>();
    List<String> lines = stderr.lines().toList();
    int current = -1;
    Double duration = null;
    AudioProbe audio = null;
    String openError = null;
    for (String line : lines) {
      Matcher refused = REFUSED_FORMAT.matcher(line);
      if (refused.find()) {
        openError =
            "it is "
                + refused.group(1)
                + ", not an audio format concat reads (playlists, lists and images "
                + "are refused)";
        continue;
      }
      Matcher error = OPEN_ERROR.matcher(line);
      if (error.matches()) {
        openError =
            openError == null
                ? error.group(1).strip()
                : openError + " (" + error.group(1).strip() + ")";
        continue;
      }
      Matcher input = INPUT.matcher(line);
      if (input.matches()) {
        if (current >= 0) {
          entries.add(entry(audio, duration));
        }
        current = Integer.parseInt(input.group(1));
        duration = null;
        audio = null;
        continue;
      }
      Matcher durationLine = DURATION.matcher(line);
      if (current >= 0 && duration == null && durationLine.find()) {
        duration = seconds(durationLine);
        continue;
      }
      Matcher stream = AUDIO.matcher(line);
      if (current >= 0
          && audio == null
          && stream.find()
          && Integer.parseInt(stream.group(1)) == current) {
        audio =
            new AudioProbe(
                stream.group(2),
                Integer.parseInt(stream.group(3)),
                channels(stream.group(4).strip()),
                0);
        continue;
      }
      String reason = failure(line, files, entries.size() + (current >= 0 ? 1 : 0), openError);
      if (reason != null) {
        if (current >= 0) {
          entries.add(entry(audio, duration));
        }
        entries.add(new Unusable(reason));
        return entries;
      }
    }
    if (current >= 0) {
      entries.add(entry(audio, duration));
    }
    return entries;
  }

  /** Why the next file FFmpeg opened is unusable, if {@code line} says it is; else null. */
  private static String failure(String line, List<Path> files, int next, String openError) {
    if (next >= files.size()) {
      return null;
    }
    String path = files.get(next).toString();
    if (line.startsWith(path + ": ")) {
      String reason = line.substring(path.length() + 2).strip();
      return openError == null ? reason : openError + " (" + reason + ")";
    }
    if (line.equals("Error opening input file " + path + ".")) {
      return openError == null ? "FFmpeg cannot open it" : openError;
    }
    return null;
  }

  private static Entry entry(AudioProbe audio, Double duration) {
    if (audio == null) {
      return new Unusable("no audio stream");
    }
    if (audio.sampleRate() <= 0 || audio.channels() <= 0) {
      return new Unusable(
          "no decodable audio: sample rate "
              + audio.sampleRate()
              + ", channels "
              + audio.channels());
    }
    if (duration == null || !(duration > 0)) {
      return new Unusable("zero or unknown duration");
    }
    return new Usable(
        new AudioProbe(audio.codec(), audio.sampleRate(), audio.channels(), duration));
  }

  /**
   * The duration minus the start time, as ffprobe's duration and start_time gave it; null if
   * unknown.
   */
  private static Double seconds(Matcher duration) {
    if (duration.group(1).equals("N/A")) {
      return null;
    }
    double total =
        Integer.parseInt(duration.group(2)) * 3600.0
            + Integer.parseInt(duration.group(3)) * 60.0
            + Double.parseDouble(duration.group(4));
    double start = duration.group(5) == null ? 0 : Double.parseDouble(duration.group(5));
    return total - start;
  }

  private static int channels(String layout) {
    Integer known = LAYOUTS.get(layout);
    if (known != null) {
      return known;
    }
    Matcher count = CHANNELS.matcher(layout);
    return count.find() ? Integer.parseInt(count.group(1)) : 0;
  }
}
