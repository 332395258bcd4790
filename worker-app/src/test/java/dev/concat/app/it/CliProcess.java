package dev.concat.app.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code java -jar concat.jar ARGS...} as an operator runs it, configured like the
 * test's workers (Temporal address, namespace, task queue, S3), with its output captured.
 */
record CliProcess(int exitCode, String out, String err) {

  static CliProcess run(
      WorkerEnvironment environment, Path scratch, List<String> args, Duration limit)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ItPaths.jar().toString()));
    command.addAll(args);
    return exec(command, environment.variables(), scratch, limit);
  }

  /**
   * Runs {@code command} to its end with its output captured in files under {@code scratch}; {@code
   * variables}, when not null, are its whole environment.
   */
  static CliProcess exec(
      List<String> command, Map<String, String> variables, Path scratch, Duration limit)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    Path out = Files.createTempFile(scratch, "cli", ".out");
    Path err = Files.createTempFile(scratch, "cli", ".err");
    var builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (variables != null) {
      builder.environment().clear();
      builder.environment().putAll(variables);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " still running after "
              + limit.toSeconds()
              + " s: "
              + Files.readString(err));
    }
    return new CliProcess(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** For assertion messages: everything the command said. */
  String transcript() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
