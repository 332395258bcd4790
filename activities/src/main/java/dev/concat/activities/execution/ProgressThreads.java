package dev.concat.activities.execution;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that carry heartbeats and progress reports to Temporal for a worker's activities, so
 * that a slow or unreachable server never holds up the threads that watch FFmpeg and transfers.
 * Daemon threads, made when needed and gone after a minute idle.
 */
public final class ProgressThreads {
  private ProgressThreads() {}

  public static ExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread thread = new Thread(r, "concat-progress-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
