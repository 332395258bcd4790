package dev.concat.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process with everything it started, so no server or worker outlives the test or
 * benchmark.
 */
public final class ProcessTrees {

  /**
   * SIGTERM to the process and its descendants, then SIGKILL for what is alive after {@code grace}.
   */
  public static void terminate(Process process, Duration grace) {
    List<ProcessHandle> tree = tree(process);
    tree.forEach(ProcessHandle::destroy);
    killAfter(process, tree, grace);
  }

  /**
   * SIGTERM to the process alone, as a deploy stops a service, so it shuts down what it started
   * itself; then SIGKILL for anything of the tree still alive after {@code grace}.
   */
  public static void stop(Process process, Duration grace) {
    List<ProcessHandle> tree = tree(process);
    process.destroy();
    killAfter(process, tree, grace);
  }

  /** SIGKILL to the process and its descendants at once; returns when they have exited. */
  public static void kill(Process process) {
    List<ProcessHandle> tree = tree(process);
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree);
  }

  /** Taken before any signal: a child whose parent died is no longer among its descendants. */
  private static List<ProcessHandle> tree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    return tree;
  }

  private static void killAfter(Process process, List<ProcessHandle> tree, Duration grace) {
    try {
      process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree);
  }

  private static void awaitExit(List<ProcessHandle> tree) {
    tree.forEach(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> p).join());
  }

  private ProcessTrees() {}
}
