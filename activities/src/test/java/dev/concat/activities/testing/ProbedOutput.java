package dev.concat.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.ffmpeg.LoudnessSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished file as a listener's player sees it, read independently of the code under test:
 * ffprobe's JSON for streams, tags, pictures and chapters; FFmpeg's EBU R128 meter for loudness.
 */
public final class ProbedOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A chapter as ffprobe reads it, times in seconds. */
  public record Chapter(double start, double end, String title) {}

  private final JsonNode probe;

  private ProbedOutput(JsonNode probe) {
    this.probe = probe;
  }

  public static ProbedOutput of(Path file) {
    String json =
        Command.stdout(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                "-show_chapters",
                file.toString()));
    try {
      return new ProbedOutput(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException("ffprobe printed no JSON for " + file + ": " + json, e);
    }
  }

  /** The first audio stream. */
  public JsonNode audio() {
    for (JsonNode stream : probe.path("streams")) {
      if (stream.path("codec_type").asText().equals("audio")) {
        return stream;
      }
    }
    throw new AssertionError("no audio stream: " + probe);
  }

  public String codec() {
    return audio().path("codec_name").asText();
  }

  public int sampleRate() {
    return audio().path("sample_rate").asInt();
  }

  public int channels() {
    return audio().path("channels").asInt();
  }

  /** The audio stream's bit rate in bits per second. */
  public long bitRate() {
    return audio().path("bit_rate").asLong();
  }

  /** The file's tags, keys in lower case (ID3 and MP4 muxers spell a few differently). */
  public Map<String, String> tags() {
    Map<String, String> tags = new TreeMap<>();
    probe
        .path("format")
        .path("tags")
        .fields()
        .forEachRemaining(
            e -> tags.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
    return tags;
  }

  /** Video streams marked as an attached picture (a cover), by codec name. */
  public List<String> attachedPictures() {
    List<String> pictures = new ArrayList<>();
    for (JsonNode stream : probe.path("streams")) {
      if (stream.path("codec_type").asText().equals("video")
          && stream.path("disposition").path("attached_pic").asInt() == 1) {
        pictures.add(stream.path("codec_name").asText());
      }
    }
    return pictures;
  }

  public List<Chapter> chapters() {
    List<Chapter> chapters = new ArrayList<>();
    for (JsonNode chapter : probe.path("chapters")) {
      chapters.add(
          new Chapter(
              chapter.path("start_time").asDouble(),
              chapter.path("end_time").asDouble(),
              chapter.path("tags").path("title").asText(null)));
    }
    return chapters;
  }

  /**
   * The header at the start of an MP3 that players read for its exact length and seeking: the Xing
   * (VBR) or Info (CBR) frame and the LAME extension that follows it.
   *
   * @param id3Version the ID3v2 major version before the audio (3 for ID3v2.3), 0 when there is no
   *     tag
   * @param kind {@code Xing} or {@code Info}, or null when the first frame holds neither
   * @param frames audio frames, as the header states
   * @param encoder the LAME extension's encoder string ({@code LAME3.100}; FFmpeg's muxer writes
   *     {@code Lavc...})
   * @param delay encoder delay in samples, to drop at the start
   * @param padding padding in samples, to drop at the end
   */
  public record Mp3Header(
      int id3Version,
      String kind,
      long frames,
      int samplesPerFrame,
      int sampleRate,
      String encoder,
      int delay,
      int padding) {

    /** The playing time a gapless player computes from the header alone. */
    public double gaplessSeconds() {
      return (frames * samplesPerFrame - delay - padding) / (double) sampleRate;
    }
  }

  public static Mp3Header mp3Header(Path mp3) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(mp3);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int id3Version = 0;
    int pos = 0;
    if (bytes.length > 10 && new String(bytes, 0, 3, StandardCharsets.ISO_8859_1).equals("ID3")) {
      id3Version = bytes[3];
      int size =
          (bytes[6] & 0x7f) << 21
              | (bytes[7] & 0x7f) << 14
              | (bytes[8] & 0x7f) << 7
              | (bytes[9] & 0x7f);
      pos = 10 + size + ((bytes[5] & 0x10) != 0 ? 10 : 0);
    }
    while (pos + 1 < bytes.length
        && !((bytes[pos] & 0xff) == 0xff && (bytes[pos + 1] & 0xe0) == 0xe0)) {
      pos++;
    }
    int version = (bytes[pos + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    boolean mono = ((bytes[pos + 3] >> 6) & 3) == 3;
    int rate =
        new int[] {44100, 48000, 32000}[(bytes[pos + 2] >> 2) & 3]
            / (version == 3 ? 1 : version == 2 ? 2 : 4);
    int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    int xing = pos + 4 + sideInfo;
    String kind = new String(bytes, xing, 4, StandardCharsets.ISO_8859_1);
    if (!kind.equals("Xing") && !kind.equals("Info")) {
      return new Mp3Header(id3Version, null, 0, 0, rate, null, 0, 0);
    }
    int flags = readInt(bytes, xing + 4);
    int field = xing + 8;
    long frames = (flags & 1) != 0 ? readInt(bytes, field) & 0xffffffffL : 0;
    field +=
        ((flags & 1) != 0 ? 4 : 0)
            + ((flags & 2) != 0 ? 4 : 0)
            + ((flags & 4) != 0 ? 100 : 0)
            + ((flags & 8) != 0 ? 4 : 0);
    String encoder =
        new String(bytes, field, 9, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
    int delay = (bytes[field + 21] & 0xff) << 4 | (bytes[field + 22] & 0xff) >> 4;
    int padding = (bytes[field + 22] & 0x0f) << 8 | (bytes[field + 23] & 0xff);
    return new Mp3Header(
        id3Version, kind, frames, version == 3 ? 1152 : 576, rate, encoder, delay, padding);
  }

  private static int readInt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24
        | (bytes[at + 1] & 0xff) << 16
        | (bytes[at + 2] & 0xff) << 8
        | (bytes[at + 3] & 0xff);
  }

  /** The whole file through FFmpeg's EBU R128 meter. */
  public static LoudnessSummary loudness(Path file) {
    return meter(file, "");
  }

  /** The audio from {@code fromSeconds} to {@code toSeconds} through the EBU R128 meter. */
  public static LoudnessSummary loudness(Path file, double fromSeconds, double toSeconds) {
    return meter(
        file, String.format(Locale.ROOT, "atrim=start=%.3f:end=%.3f,", fromSeconds, toSeconds));
  }

  /** The meter prints its summary on stderr, at level info, and its frame log to a file. */
  private static LoudnessSummary meter(Path file, String filtersBefore) {
    try {
      Path frameLog = Files.createTempFile("r128-frames", ".txt");
      try {
        String stderr =
            Command.stderr(
                List.of(
                    "ffmpeg",
                    "-nostdin",
                    "-hide_banner",
                    "-nostats",
                    "-i",
                    file.toString(),
                    "-map",
                    "0:a:0",
                    "-af",
                    filtersBefore + LoudnessSummary.filter(frameLog),
                    "-f",
                    "null",
                    "-"));
        return LoudnessSummary.read(stderr, frameLog);
      } finally {
        Files.deleteIfExists(frameLog);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
