package dev.concat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How the benchmark starts and stops the processes it owns, so none outlives it. */
final class ChildProcesses {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /**
   * {@code command} under {@code setpriv --pdeathsig KILL} where setpriv exists: a benchmark killed
   * outright takes its servers and workers with it. Start such processes from the thread that
   * runs the whole benchmark.
   */
  static List<String> diesWithStartingThread(List<String> command) {
    if (!Files.isExecutable(SETPRIV)) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** SIGTERM, then SIGKILL for the process and anything it started that is still alive after {@code grace}. */
  static void stop(Process process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    process.destroy();
    try {
      process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    tree.forEach(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> p).join());
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private ChildProcesses() {}
}
