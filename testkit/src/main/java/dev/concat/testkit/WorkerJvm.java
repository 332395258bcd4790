package dev.concat.testkit;

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
 * A concat worker in a JVM of its own, started as an operator starts one ({@code java ... worker
 * --work-dir DIR}) and configured by environment variables only. Its stdout and stderr are appended
 * to a log file; a restart on the same file appends to it, and {@link #awaitLog} reads only what
 * this process wrote.
 */
public final class WorkerJvm implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("worker (\\S+) running: ");

  private final String name;
  private final Path workDir;
  private final Path log;
  private final long logStart;
  private final Process process;

  private WorkerJvm(String name, Path workDir, Path log, long logStart, Process process) {
    this.name = name;
    this.workDir = workDir;
    this.log = log;
    this.logStart = logStart;
    this.process = process;
  }

  /**
   * Starts {@code java <launch> worker --work-dir <workDir>} with exactly {@code environment}
   * (nothing inherited). {@code launch} names the code: {@code -jar concat.jar}, or {@code -cp
   * <path> <main class>}, after any JVM options. Two workers with different work directories are
   * two hosts; the same directory is the same host.
   */
  public static WorkerJvm start(
      String name, List<String> launch, Path workDir, Map<String, String> environment, Path log) {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launch);
    command.addAll(List.of("worker", "--work-dir", workDir.toString()));
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      long logStart = Files.size(log);
      var builder =
          new ProcessBuilder(Executables.diesWithStartingThread(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      return new WorkerJvm(name, workDir, log, logStart, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + name + ": " + command, e);
    }
  }

  /**
   * Waits until the worker says it is running (connected to Temporal, polling); returns its
   * identity.
   */
  public String awaitRunning(Duration limit) {
    return awaitLog(RUNNING, limit).group(1);
  }

  /** The identity the status query shows for this worker: {@code pid@hostname}. */
  public String identity() {
    Matcher running = RUNNING.matcher(logText());
    if (!running.find()) {
      throw new IllegalStateException("worker " + name + " has not said it is running yet");
    }
    return running.group(1);
  }

  public Matcher awaitLog(String regex, Duration limit) {
    return awaitLog(Pattern.compile(regex), limit);
  }

  /**
   * Waits until this process's output matches {@code pattern}; fails with the log after {@code
   * limit}, or at once when the process has exited without writing it.
   */
  public Matcher awaitLog(Pattern pattern, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      // Alive is read before the text, so a line written just before the exit is still seen.
      boolean alive = isAlive();
      Matcher matcher = pattern.matcher(logText());
      if (matcher.find()) {
        return matcher;
      }
      if (!alive || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "worker "
                + name
                + " did not log /"
                + pattern
                + "/ within "
                + limit.toSeconds()
                + " s ("
                + (alive ? "alive" : "exited " + process.exitValue())
                + "); log "
                + log
                + ":\n"
                + logText());
      }
      sleep(Duration.ofMillis(100));
    }
  }

  /** What this process has written so far (not earlier runs on the same log). */
  public String logText() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logStart, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the process to exit and returns how long that took; fails after {@code limit}. */
  public Duration awaitExit(Duration limit) {
    long start = System.nanoTime();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            this + " still running after " + limit.toSeconds() + " s; log " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
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

  public int exitCode() {
    return process.exitValue();
  }

  public void kill9() {
    process.destroyForcibly();
  }

  public void sigterm() {
    process.destroy();
  }

  public void sigstop() {
    Signals.send(process.pid(), "STOP");
  }

  public void sigcont() {
    Signals.send(process.pid(), "CONT");
  }

  /**
   * SIGTERM, as a deploy stops a worker, so it shuts down what it started itself; SIGKILL for
   * whatever of its tree is left after {@code grace}.
   */
  public void stop(Duration grace) {
    ProcessTrees.stop(process, grace);
  }

  /** Kills the worker and every process it started that is still its descendant, at once. */
  @Override
  public void close() {
    ProcessTrees.kill(process);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a worker's log", e);
    }
  }

  @Override
  public String toString() {
    return "worker " + name + " (pid " + pid() + ", work dir " + workDir + ")";
  }
}
