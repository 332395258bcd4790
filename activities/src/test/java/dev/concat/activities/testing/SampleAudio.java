package dev.concat.activities.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small real audio files made with FFmpeg's lavfi sine source, and an exact measure of how long a
 * file plays (by decoding it), independent of the code under test.
 */
public final class SampleAudio {

  /**
   * A 44.1 kHz stereo sine of {@code seconds}, encoded by the file's extension (.mp3, .m4a, .wav).
   */
  public static Path sine(Path file, double seconds, int frequencyHz) {
    return sine(file, seconds, frequencyHz, 44100, 2);
  }

  public static Path sine(
      Path file, double seconds, int frequencyHz, int sampleRate, int channels) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                String.format(
                    Locale.ROOT,
                    "sine=frequency=%d:sample_rate=%d:duration=%s",
                    frequencyHz,
                    sampleRate,
                    seconds),
                "-ac",
                String.valueOf(channels)));
    String name = file.getFileName().toString();
    if (name.endsWith(".mp3")) {
      command.addAll(List.of("-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"));
    } else if (name.endsWith(".m4a")) {
      command.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-f", "ipod"));
    } else if (name.endsWith(".wav")) {
      command.addAll(List.of("-c:a", "pcm_s16le", "-f", "wav"));
    } else {
      throw new IllegalArgumentException("no encoder chosen for " + name);
    }
    command.add(file.toString());
    Command.stdout(command);
    return file;
  }

  /** Plays {@code file} through FFmpeg's decoder and returns the decoded duration in seconds. */
  public static double decodedSeconds(Path file) {
    String progress =
        Command.stdout(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                file.toString(),
                "-map",
                "0:a:0",
                "-f",
                "null",
                "-progress",
                "pipe:1",
                "-"));
    long micros =
        progress
            .lines()
            .filter(l -> l.startsWith("out_time_us="))
            .map(l -> l.substring("out_time_us=".length()))
            .filter(v -> !v.equals("N/A"))
            .mapToLong(Long::parseLong)
            .max()
            .orElseThrow();
    return micros / 1e6;
  }

  private SampleAudio() {}
}
