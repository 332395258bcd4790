package dev.concat.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A sine tone from FFmpeg's lavfi source: the test audio the integration tests and the benchmark
 * join, a different pitch per segment so a listener hears the seams.
 */
public record SineTone(int frequencyHz, double seconds, int sampleRate, int channels) {

  /**
   * Encodes the tone to {@code file} with {@code ffmpeg}. It is written under a partial name and
   * moved into place, so an interrupted run never leaves a file that looks finished.
   */
  public Path encode(Path ffmpeg, AudioEncoding encoding, Path file)
      throws IOException, InterruptedException {
    Path partial = file.resolveSibling("partial-" + file.getFileName());
    List<String> command =
        new ArrayList<>(
            List.of(
                ffmpeg.toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                String.format(
                    Locale.ROOT,
                    "sine=frequency=%d:sample_rate=%d:duration=%s",
                    frequencyHz,
                    sampleRate,
                    BigDecimal.valueOf(seconds).toPlainString()),
                "-ac",
                String.valueOf(channels)));
    command.addAll(encoding.arguments());
    command.add(partial.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60 + (long) seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("ffmpeg did not finish generating " + file);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "ffmpeg failed generating "
              + file
              + " (exit "
              + process.exitValue()
              + "): "
              + output.strip());
    }
    return Files.move(
        partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
