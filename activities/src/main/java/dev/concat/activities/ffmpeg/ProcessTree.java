package dev.concat.activities.ffmpeg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills a process and everything it started: SIGTERM first so FFmpeg can close its files, then
 * SIGKILL for whatever is still alive after the grace period. The descendants are listed before the
 * first signal, because once a parent dies its children are re-parented and no longer show up as
 * its descendants (a wrapper script around FFmpeg would otherwise leave FFmpeg running).
 */
public final class ProcessTree {
  /** How long to wait for the kernel to reap a process after SIGKILL. */
  private static final Duration REAP = Duration.ofSeconds(5);

  public static void kill(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    awaitExit(tree, grace);
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree, REAP);
  }

  private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (ProcessHandle process : processes) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      CompletableFuture<ProcessHandle> exit = process.onExit();
      try {
        exit.get(remaining, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return;
      } catch (ExecutionException e) {
        // onExit does not fail; nothing to wait for.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private ProcessTree() {}
}
