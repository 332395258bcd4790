package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts FFmpeg and ffprobe so that they, and anything they start, die with the worker.
 *
 * <p>On Linux the command runs in a process group of its own under a small shell (the guard):
 * {@code setpriv --pdeathsig TERM} makes the kernel send the guard SIGTERM when the thread that
 * started it exits, which includes the whole JVM being killed with -9, and the guard then kills
 * its whole group with SIGKILL. The group matters when FFMPEG_PATH is a wrapper script that runs
 * FFmpeg as its child: a parent-death signal reaches only the direct child, and FFmpeg would be
 * re-parented to init and keep running. Because the signal is tied to the starting thread,
 * callers must start a process from the thread that waits for it, never from a short-lived pool
 * thread. (setpriv arms the signal a few milliseconds after the start; a worker killed inside
 * that window can still leave its child running.)
 *
 * <p>The guard passes the command's exit status through, and a command killed by signal N as
 * 128 + N, which is how Java reports a signalled child anyway.
 */
public final class ProcessLauncher {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /** Runs "$@" in the background and kills the whole group (itself included) on SIGTERM. */
  private static final String GUARD = "trap 'kill -KILL 0' TERM HUP INT; \"$@\" & wait $!";

  private final Map<String, String> environment;
  private final boolean guarded;

  public ProcessLauncher(Map<String, String> environment) {
    this(environment, Files.isExecutable(SETPRIV) && Files.isExecutable(SETSID));
  }

  ProcessLauncher(Map<String, String> environment, boolean guarded) {
    this.environment = Map.copyOf(environment);
    this.guarded = guarded;
  }

  /** Starts {@code command}; its stdout and stderr are pipes, its stdin is closed at once. */
  public Process start(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (guarded) {
      // setsid does not fork here (a child of the JVM never leads a process group), so the
      // parent-death signal armed by setpriv stays on the guard's own process.
      full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "TERM", "--", SETSID.toString(), "sh", "-c", GUARD,
          "concat-guard"));
    }
    full.addAll(command);
    var builder = new ProcessBuilder(full);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }
}
