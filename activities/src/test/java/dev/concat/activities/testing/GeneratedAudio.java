package dev.concat.activities.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Segments of exactly known length made from FFmpeg's lavfi sources and encoded in any format a
 * producer might upload (.wav, .flac, .mp3, .m4a, .ogg, .opus), several per FFmpeg run; and small
 * cover images. The length asked for is the producer's length: the ground truth of a join.
 */
public final class GeneratedAudio {

  /**
   * One file to make.
   *
   * @param file where; its extension picks the codec
   * @param source a lavfi graph with one unlabelled mono output, at {@code sampleRate}
   * @param sampleRate samples per second of the source and the file
   * @param channels 1, or 2 (both channels carry the source at its full level)
   */
  public record Part(Path file, String source, int sampleRate, int channels) {}

  /** A sine at lavfi's default amplitude of 1/8 (-18 dBFS), {@code gainDb} louder. */
  public static Part sine(
      Path file, double seconds, int frequencyHz, int sampleRate, int channels, double gainDb) {
    return new Part(
        file,
        String.format(
            Locale.ROOT,
            "sine=frequency=%d:sample_rate=%d:duration=%s,volume=%sdB",
            frequencyHz,
            sampleRate,
            seconds,
            gainDb),
        sampleRate,
        channels);
  }

  public static Part sine(
      Path file, double seconds, int frequencyHz, int sampleRate, int channels) {
    return sine(file, seconds, frequencyHz, sampleRate, channels, 0);
  }

  /**
   * Pink noise peaking near {@code amplitude} (seeded, so every run makes the same file), {@code
   * gainDb} louder.
   */
  public static Part pinkNoise(
      Path file, double seconds, double amplitude, double gainDb, int sampleRate) {
    return new Part(
        file,
        String.format(
            Locale.ROOT,
            "anoisesrc=color=pink:amplitude=%s:seed=7:sample_rate=%d:duration=%s,volume=%sdB",
            amplitude,
            sampleRate,
            seconds,
            gainDb),
        sampleRate,
        2);
  }

  /**
   * Digital silence, a sine, and silence again: a segment as recorded, with room tone cut to zero.
   */
  public static Part sineInSilence(
      Path file,
      double leadSeconds,
      double sineSeconds,
      double tailSeconds,
      int frequencyHz,
      int sampleRate) {
    String silence = "anullsrc=r=%d:cl=mono:d=%s";
    return new Part(
        file,
        String.format(
            Locale.ROOT,
            silence
                + "[lead];sine=frequency=%d:sample_rate=%d:duration=%s[tone];"
                + silence
                + "[tail];[lead][tone][tail]concat=n=3:v=0:a=1",
            sampleRate,
            leadSeconds,
            frequencyHz,
            sampleRate,
            sineSeconds,
            sampleRate,
            tailSeconds),
        sampleRate,
        2);
  }

  /** Makes every part in one FFmpeg run: each FFmpeg start costs about 0.1 s. */
  public static List<Path> make(List<Part> parts) {
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error"));
    for (Part part : parts) {
      String channels =
          part.channels() == 2 ? "pan=stereo|c0=c0|c1=c0" : "aformat=channel_layouts=mono";
      command.addAll(List.of("-f", "lavfi", "-i", part.source() + "," + channels + "[out0]"));
    }
    for (int i = 0; i < parts.size(); i++) {
      command.addAll(List.of("-map", i + ":a:0", "-map_metadata", "-1"));
      command.addAll(encoder(parts.get(i)));
      command.add(parts.get(i).file().toString());
    }
    Command.stdout(command);
    return parts.stream().map(Part::file).toList();
  }

  public static Path make(Part part) {
    return make(List.of(part)).get(0);
  }

  /** A 300x300 picture, JPEG or PNG by the file's extension. */
  public static Path cover(Path file) {
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=300x300:rate=1",
            "-frames:v",
            "1",
            file.toString()));
    return file;
  }

  private static List<String> encoder(Part part) {
    String name = part.file().getFileName().toString();
    String extension = name.substring(name.lastIndexOf('.') + 1);
    // MPEG-2 and 2.5 layer III (below 32 kHz) stop at 160 kb/s; 64 kb/s suits every rate.
    String mp3Rate = part.sampleRate() < 32_000 ? "64k" : "128k";
    return switch (extension) {
      case "wav" -> List.of("-c:a", "pcm_s16le", "-f", "wav");
      case "flac" -> List.of("-c:a", "flac", "-f", "flac");
      case "mp3" -> List.of("-c:a", "libmp3lame", "-b:a", mp3Rate, "-f", "mp3");
      case "m4a" -> List.of("-c:a", "aac", "-b:a", "96k", "-f", "ipod");
      // Quality, not bit rate: libvorbis refuses high bit rates at low sample rates.
      case "ogg" -> List.of("-c:a", "libvorbis", "-q:a", "4", "-f", "ogg");
      case "opus" -> List.of("-c:a", "libopus", "-b:a", "64k", "-f", "opus");
      default -> throw new IllegalArgumentException("no encoder chosen for " + name);
    };
  }

  private GeneratedAudio() {}
}
