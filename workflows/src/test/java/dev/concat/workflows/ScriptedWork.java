package dev.concat.workflows;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** How a scripted activity spends its time: working, or heartbeating until Temporal stops it. */
final class ScriptedWork {

  /**
   * Heartbeats like a healthy FFmpeg until Temporal says to stop, as the real activities do; sets
   * {@code sawStop} then, and never returns.
   */
  static <T> T heartbeatUntilStopped(AtomicBoolean sawStop) {
    while (true) {
      try {
        Activity.getExecutionContext().heartbeat(null);
      } catch (ActivityCompletionException stop) {
        sawStop.set(true);
        throw stop;
      }
      sleep(Duration.ofMillis(100));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ScriptedWork() {}
}
