package dev.concat.app.it;

import dev.concat.activities.testing.Processes;
import dev.concat.testkit.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker JVM started from the shaded jar, as an operator starts it: {@code java -jar concat.jar
 * worker --work-dir DIR}, configured by environment variables. Its stdout and stderr are appended
 * to {@code <logDir>/<name>.log}; a restart under the same name appends to the same file, and
 * {@link #awaitLog} reads only what this process wrote.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("worker (\\S+) running: ");

  private final String name;
  private final Path workDir;
  private final Path log;
  private final long logStart;
  private final Process process;

  private WorkerProcess(String name, Path workDir, Path log, long logStart, Process process) {
    this.name = name;
    this.workDir = workDir;
    this.log = log;
    this.logStart = logStart;
    this.process = process;
  }

  /**
   * Starts a worker; {@code extraEnv} adds or overrides variables (FFMPEG_PATH,
   * CONCAT_SHUTDOWN_GRACE...). Two workers with different work directories are two hosts; the same
   * directory is the same host.
   */
  public static WorkerProcess start(
      WorkerEnvironment environment, String name, Path workDir, Map<String, String> extraEnv) {
    Path log = environment.logDir().resolve(name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions());
    command.addAll(
        List.of("-jar", ItPaths.jar().toString(), "worker", "--work-dir", workDir.toString()));
    try {
      Files.createDirectories(workDir);
      Files.writeString(
          log,
          "=== " + Instant.now() + " " + String.join(" ", command) + " " + extraEnv + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      long logStart = Files.size(log);
      var builder =
          new ProcessBuilder(Executables.diesWithStartingThread(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(environment.variables());
      builder.environment().putAll(extraEnv);
      Process process = builder.start();
      process.getOutputStream().close();
      return new WorkerProcess(name, workDir, log, logStart, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + name, e);
    }
  }

  /** -Dconcat.it.workerJvmOptions="-Xmx256m ..." passes options to every worker JVM. */
  private static List<String> jvmOptions() {
    String options = System.getProperty("concat.it.workerJvmOptions", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  /**
   * Waits until the worker says it is running (connected to Temporal, polling); returns its
   * identity.
   */
  public String awaitRunning(Duration limit) {
    Matcher running = awaitLog(RUNNING, limit);
    return running.group(1);
  }

  /** The identity the status query shows for this worker: {@code pid@hostname}. */
  public String identity() {
    Matcher running = RUNNING.matcher(logText());
    if (!running.find()) {
      throw new IllegalStateException("worker " + name + " has not said it is running yet");
    }
    return running.group(1);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path workDir() {
    return workDir;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public void kill9() {
    process.destroyForcibly();
  }

  public void sigterm() {
    process.destroy();
  }

  public void sigstop() {
    signal("STOP");
  }

  public void sigcont() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Processes.signal(process.toHandle(), signal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the process to exit and returns how long that took; fails after {@code limit}. */
  public Duration awaitExit(Duration limit) {
    long start = System.nanoTime();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "worker "
                + name
                + " (pid "
                + pid()
                + ") still running after "
                + limit.toSeconds()
                + " s; log "
                + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public int exitCode() {
    return process.exitValue();
  }

  /**
   * Waits until this process's output matches {@code regex}; fails with the log after {@code
   * limit}.
   */
  public Matcher awaitLog(String regex, Duration limit) {
    return awaitLog(Pattern.compile(regex), limit);
  }

  private Matcher awaitLog(Pattern pattern, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Matcher matcher = pattern.matcher(logText());
      if (matcher.find()) {
        return matcher;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "worker "
                + name
                + " did not log /"
                + pattern
                + "/ within "
                + limit.toSeconds()
                + " s (alive: "
                + isAlive()
                + "); log "
                + log
                + ":\n"
                + logText());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** What this process has written so far (not earlier runs under the same name). */
  public String logText() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logStart, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the worker and every process it started that is still its descendant. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    tree.forEach(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> p).join());
  }

  @Override
  public String toString() {
    return "worker " + name + " (pid " + pid() + ", work dir " + workDir + ")";
  }
}
