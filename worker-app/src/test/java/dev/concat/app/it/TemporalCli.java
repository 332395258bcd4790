package dev.concat.app.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The `temporal` CLI as an operator runs it against the test's dev server: the same binary, pointed
 * at one address and namespace, with no config file or environment of the machine's user.
 */
final class TemporalCli {
  /** A CLI call is one gRPC round trip or a few; far longer means something hangs. */
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final String address;
  private final String namespace;
  private final Path scratch;

  TemporalCli(String address, String namespace, Path scratch) {
    this.address = address;
    this.namespace = namespace;
    this.scratch = scratch;
  }

  /** Runs {@code temporal ARGS... --address A --namespace N} and returns what it said. */
  CliProcess run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(TemporalBinary.find().orElseThrow().toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--address",
            address,
            "--namespace",
            namespace,
            "--disable-config-file",
            "--disable-config-env",
            "--color",
            "never"));
    return CliProcess.exec(command, null, scratch, LIMIT);
  }

  /** Like {@link #run} and fails the test unless the command exits 0. */
  String ok(String... args) throws IOException, InterruptedException {
    CliProcess result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "temporal " + String.join(" ", args) + " failed:\n" + result.transcript());
    }
    return result.out();
  }
}
