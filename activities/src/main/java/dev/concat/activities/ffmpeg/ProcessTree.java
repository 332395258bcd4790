package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Kills a process and everything it started: SIGTERM first so FFmpeg can close its files, then
 * SIGKILL for whatever is still alive after the grace period. The descendants are listed before the
 * first signal, because once a parent dies its children are re-parented and no longer show up as
 * its descendants (a wrapper script around FFmpeg would otherwise leave FFmpeg running).
 */
public final class ProcessTree {
  /** How long to wait for the kernel to reap a process after SIGKILL. */
  private static final Duration REAP = Duration.ofSeconds(5);

  private static final long POLL_MILLIS = 10;

  public static void kill(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = listed(root);
    tree.forEach(ProcessHandle::destroy);
    awaitExit(tree, grace);
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree, REAP);
  }

  /**
   * SIGKILLs a process and everything it started, without the grace: for work whose result is
   * already worthless. A wrapper's signal trap does not run on SIGKILL, so its children are killed
   * by name here, not through it.
   */
  public static void killNow(ProcessHandle root) {
    List<ProcessHandle> tree = listed(root);
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree, REAP);
  }

  private static List<ProcessHandle> listed(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  /**
   * Waits until every process in the list has exited or {@code limit} passed. Polls rather than
   * using {@link ProcessHandle#onExit}, which for a process that is not this JVM's child sleeps 300
   * ms and more between looks, one process after another: a four-process tree took over a second to
   * be seen gone, and a cancelled job's next kill waited for it.
   */
  private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (processes.stream().anyMatch(ProcessTree::running) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Alive and not a zombie: a killed grandchild whose new parent has not reaped it yet has stopped
   * running, though {@link ProcessHandle#isAlive} still says true.
   */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    } catch (IOException e) {
      // No /proc (not Linux) or the process just went: isAlive said enough.
      return process.isAlive();
    }
  }

  private ProcessTree() {}
}
