package dev.concat.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Programs the tests and the benchmark run: found on the PATH as a shell finds them, started so
 * they die with us.
 */
public final class Executables {

  public static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /**
   * {@code command} under {@code setpriv --pdeathsig KILL} where setpriv exists: the kernel kills
   * the process when the thread that started it ends, so a test or benchmark JVM killed with -9
   * (before any cleanup can run) leaves no server or worker behind. setpriv execs the command, so
   * the pid is the command's own. Start such processes from a thread that lives as long as they
   * should: JUnit runs tests and extension callbacks on the test JVM's main thread, the benchmark
   * runs on its own main thread.
   */
  public static List<String> diesWithStartingThread(List<String> command) {
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (!Files.isExecutable(setpriv)) {
      return command;
    }
    List<String> wrapped =
        new ArrayList<>(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  public static Path require(String name) {
    return onPath(name).orElseThrow(() -> new IllegalStateException(name + " is not on the PATH"));
  }

  private Executables() {}
}
