package dev.concat.activities.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line (FFmpeg, ffprobe) for a test: fails on a non-zero exit or after a minute,
 * with its stderr.
 */
public final class Command {
  private static final long TIMEOUT_SECONDS = 60;

  /** Runs {@code command} and returns its stdout. */
  public static String stdout(List<String> command) {
    return run(command, ProcessBuilder.Redirect.PIPE).stdout();
  }

  /**
   * Runs {@code command} and returns its stderr, where FFmpeg prints its measurements; stdout is
   * dropped.
   */
  public static String stderr(List<String> command) {
    return run(command, ProcessBuilder.Redirect.DISCARD).stderr();
  }

  /** Runs {@code command} with its stdout written to {@code file}. */
  public static void stdoutTo(List<String> command, Path file) {
    run(command, ProcessBuilder.Redirect.to(file.toFile()));
  }

  private record Output(String stdout, String stderr) {}

  private static Output run(List<String> command, ProcessBuilder.Redirect stdout) {
    try {
      Path err = Files.createTempFile("command", ".err");
      try {
        Process process =
            new ProcessBuilder(command).redirectOutput(stdout).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        String out =
            stdout == ProcessBuilder.Redirect.PIPE
                ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                : "";
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
          process.destroyForcibly();
          throw new IllegalStateException(command + " failed: " + Files.readString(err));
        }
        return new Output(out, Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(command + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Command() {}
}
