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
 * started it exits, which includes the whole JVM being killed with -9, and the guard then kills its
 * whole group with SIGKILL. The group matters when FFMPEG_PATH is a wrapper script that runs FFmpeg
 * as its child: a parent-death signal reaches only the direct child, and FFmpeg would be
 * re-parented to init and keep running. Because the signal is tied to the starting thread, callers
 * must start a process from the thread that waits for it, never from a short-lived pool thread.
 * (setpriv arms the signal a few milliseconds after the start; a worker killed inside that window
 * can still leave its child running.)
 *
 * <p>The guard passes the command's exit status through, and a command killed by signal N as 128 +
 * N, which is how Java reports a signalled child anyway.
 *
 * <p>The command sees a small world: an environment of only {@link #PASSED_THROUGH} and the
 * configured variables (never the worker's AWS or Temporal secrets), and, under {@code prlimit}, an
 * address-space ceiling, so a segment that decodes into gigabytes fails that FFmpeg with "Cannot
 * allocate memory" instead of taking the host's memory.
 */
public final class ProcessLauncher {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  /** What FFmpeg, a wrapper script and the guard's shell need of the worker's environment. */
  static final List<String> PASSED_THROUGH =
      List.of("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "TZ", "TMPDIR");

  /** FFmpeg maps its libraries into about 250 MB of address space before it reads a byte. */
  public static final long MIN_MEMORY = 512L << 20;

  /** Runs "$@" in the background and kills the whole group (itself included) on SIGTERM. */
  private static final String GUARD = "trap 'kill -KILL 0' TERM HUP INT; \"$@\" & wait $!";

  private final Map<String, String> environment;
  private final boolean guarded;
  private final long maxMemoryBytes;

  /** A launcher without a memory ceiling. */
  public ProcessLauncher(Map<String, String> environment) {
    this(environment, 0);
  }

  /**
   * @param environment variables set for the command on top of {@link #PASSED_THROUGH}
   * @param maxMemoryBytes the command's address-space ceiling; 0 for none
   * @throws IllegalArgumentException when a ceiling is asked for and prlimit is missing, or it is
   *     below {@link #MIN_MEMORY}
   */
  public ProcessLauncher(Map<String, String> environment, long maxMemoryBytes) {
    this(environment, Files.isExecutable(SETPRIV) && Files.isExecutable(SETSID), maxMemoryBytes);
  }

  ProcessLauncher(Map<String, String> environment, boolean guarded) {
    this(environment, guarded, 0);
  }

  private ProcessLauncher(Map<String, String> environment, boolean guarded, long maxMemoryBytes) {
    if (maxMemoryBytes != 0 && maxMemoryBytes < MIN_MEMORY) {
      throw new IllegalArgumentException(
          "an FFmpeg memory ceiling of "
              + maxMemoryBytes
              + " bytes is below the "
              + MIN_MEMORY
              + " FFmpeg needs to start");
    }
    if (maxMemoryBytes > 0 && !Files.isExecutable(PRLIMIT)) {
      throw new IllegalArgumentException(
          PRLIMIT + " (util-linux) is missing: it sets FFmpeg's memory ceiling");
    }
    this.environment = Map.copyOf(environment);
    this.guarded = guarded;
    this.maxMemoryBytes = maxMemoryBytes;
  }

  /** Starts {@code command}; its stdout and stderr are pipes, its stdin is closed at once. */
  public Process start(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (guarded) {
      // setsid does not fork here (a child of the JVM never leads a process group), so the
      // parent-death signal armed by setpriv stays on the guard's own process.
      full.addAll(
          List.of(
              SETPRIV.toString(),
              "--pdeathsig",
              "TERM",
              "--",
              SETSID.toString(),
              "sh",
              "-c",
              GUARD,
              "concat-guard"));
    }
    if (maxMemoryBytes > 0) {
      // prlimit sets the limit on itself and execs the command, so only FFmpeg and its children
      // carry it.
      full.addAll(List.of(PRLIMIT.toString(), "--as=" + maxMemoryBytes, "--"));
    }
    full.addAll(command);
    var builder = new ProcessBuilder(full);
    Map<String, String> childEnvironment = builder.environment();
    childEnvironment.keySet().retainAll(PASSED_THROUGH);
    childEnvironment.putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }
}
