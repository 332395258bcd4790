package dev.concat.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One in-process run of the CLI with its stdout and stderr captured. */
record CliRun(int exitCode, String out, String err) {

  /**
   * The environment tests give the CLI: the PATH for FFmpeg and nothing else, so the defaults
   * apply.
   */
  static final Map<String, String> ENVIRONMENT = Map.of("PATH", System.getenv("PATH"));

  static CliRun of(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exitCode =
          ConcatCli.run(new ConcatCli.Console(outStream, errStream, ENVIRONMENT, false), args);
      return new CliRun(
          exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  List<String> outLines() {
    return out.lines().filter(line -> !line.isBlank()).toList();
  }

  /** For assertion messages: everything the command said. */
  String transcript() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
