package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts FFmpeg and ffprobe so they die with the worker. On Linux the command runs under
 * {@code setpriv --pdeathsig KILL}: the kernel kills the child when the thread that started it
 * exits, which includes the whole JVM being killed with -9. Because the signal is tied to the
 * starting thread, callers must start a process from the thread that waits for it, never from a
 * short-lived pool thread. (setpriv arms the signal a few milliseconds after the start, just
 * before it execs; a worker killed inside that window can still leave its child running.)
 */
public final class ProcessLauncher {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private final Map<String, String> environment;
  private final boolean parentDeathSignal;

  public ProcessLauncher(Map<String, String> environment) {
    this(environment, Files.isExecutable(SETPRIV));
  }

  ProcessLauncher(Map<String, String> environment, boolean parentDeathSignal) {
    this.environment = Map.copyOf(environment);
    this.parentDeathSignal = parentDeathSignal;
  }

  /** Starts {@code command}; its stdout and stderr are pipes, its stdin is closed at once. */
  public Process start(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (parentDeathSignal) {
      full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    full.addAll(command);
    var builder = new ProcessBuilder(full);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }
}
