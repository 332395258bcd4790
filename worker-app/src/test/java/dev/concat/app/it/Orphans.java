package dev.concat.app.it;

import dev.concat.testkit.ProcProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a worker may leave behind on its host: processes working on its files (found by their
 * command line in /proc, whoever their parent is now) and files under its jobs directory.
 */
final class Orphans {

  /** A live process, as /proc shows it. */
  record Proc(long pid, List<String> argv) {
    boolean isFfmpeg() {
      return !argv.isEmpty() && Path.of(argv.get(0)).getFileName().toString().equals("ffmpeg");
    }

    /**
     * An FFmpeg that joins or decodes (those report {@code -progress}): not the short one that only
     * describes the segments before them, nor the meter that reads the output through a FIFO as it
     * is written.
     */
    boolean isWorkingFfmpeg() {
      return isFfmpeg()
          && argv.contains("-progress")
          && argv.stream().noneMatch(arg -> arg.endsWith(".meter"));
    }

    boolean isJava() {
      return !argv.isEmpty() && Path.of(argv.get(0)).getFileName().toString().equals("java");
    }

    @Override
    public String toString() {
      return pid + " " + String.join(" ", argv);
    }
  }

  /**
   * Live processes whose arguments mention {@code workDir}, other than worker JVMs (whose {@code
   * --work-dir} names it): FFmpeg, ffprobe and any wrapper around them. Zombies have an empty
   * command line and do not count.
   */
  static List<Proc> processes(Path workDir) {
    String fragment = workDir.toAbsolutePath().normalize().toString();
    return ProcProcess.pids().stream()
        .filter(pid -> pid != ProcessHandle.current().pid())
        .map(pid -> new Proc(pid, ProcProcess.argv(pid)))
        .filter(p -> !p.argv().isEmpty() && !p.isJava())
        .filter(p -> p.argv().stream().anyMatch(arg -> arg.contains(fragment)))
        .toList();
  }

  /** Waits for the first FFmpeg joining or decoding in {@code workDir} to appear. */
  static Proc awaitFfmpeg(Path workDir, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      List<Proc> found = processes(workDir).stream().filter(Proc::isWorkingFfmpeg).toList();
      if (!found.isEmpty()) {
        return found.get(0);
      }
      pause();
    }
    throw new AssertionError(
        "no FFmpeg started in " + workDir + " within " + limit.toSeconds() + " s");
  }

  /**
   * Waits until no process works in {@code workDir} and returns how long that took; fails, listing
   * the survivors, after {@code limit}.
   */
  static Duration awaitNone(Path workDir, Duration limit) {
    long start = System.nanoTime();
    List<Proc> left = processes(workDir);
    while (!left.isEmpty()) {
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new AssertionError(
            "still running in "
                + workDir
                + " after "
                + limit.toSeconds()
                + " s:\n"
                + String.join("\n", left.stream().map(Proc::toString).toList()));
      }
      pause();
      left = processes(workDir);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * As {@link #awaitNone}, but says what is still running after {@code limit} instead of failing,
   * so a test can check the rest of what it is after before it reports this.
   */
  static Survivors awaitNoneOrReport(Path workDir, Duration limit) {
    try {
      return new Survivors(awaitNone(workDir, limit), List.of());
    } catch (AssertionError e) {
      return new Survivors(limit, processes(workDir));
    }
  }

  /** What {@link #awaitNoneOrReport} found: how long it waited and who was still running then. */
  record Survivors(Duration waited, List<Proc> left) {
    boolean none() {
      return left.isEmpty();
    }
  }

  /**
   * SIGKILLs whatever still works in {@code workDir}: a test's last resort, so nothing outlives it.
   */
  static List<Proc> killAll(Path workDir) {
    List<Proc> found = processes(workDir);
    found.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
    return found;
  }

  /**
   * Files and directories under {@code <workDir>/jobs}, relative to it; empty when nothing is left.
   */
  static List<String> leftoverFiles(Path workDir) {
    Path jobs = workDir.resolve("jobs");
    for (int tries = 1; ; tries++) {
      if (!Files.isDirectory(jobs)) {
        return List.of();
      }
      try (Stream<Path> files = Files.walk(jobs)) {
        return files
            .filter(p -> !p.equals(jobs))
            .map(p -> jobs.relativize(p).toString())
            .sorted()
            .toList();
      } catch (IOException | UncheckedIOException e) {
        // A worker deleting the directory while it is walked: look again.
        if (tries == 3) {
          throw new IllegalStateException("cannot list " + jobs, e);
        }
      }
    }
  }

  /**
   * Waits until {@link #leftoverFiles} is empty; fails, listing what is left, after {@code limit}.
   */
  static void awaitNoLeftoverFiles(Path workDir, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!leftoverFiles(workDir).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "left in " + workDir + " after " + limit.toSeconds() + " s: " + leftoverFiles(workDir));
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Orphans() {}
}
