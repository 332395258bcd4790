package dev.concat.activities.testing;

import dev.concat.testkit.AudioEncoding;
import dev.concat.testkit.SineTone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

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
    String name = file.getFileName().toString();
    AudioEncoding encoding;
    if (name.endsWith(".mp3")) {
      encoding = AudioEncoding.mp3("128k");
    } else if (name.endsWith(".m4a")) {
      encoding = AudioEncoding.aac("128k");
    } else if (name.endsWith(".wav")) {
      encoding = AudioEncoding.wav();
    } else {
      throw new IllegalArgumentException("no encoder chosen for " + name);
    }
    try {
      return new SineTone(frequencyHz, seconds, sampleRate, channels)
          .encode(Path.of("ffmpeg"), encoding, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted generating " + file, e);
    }
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
