package dev.concat.activities.execution;

import java.time.Duration;

/**
 * Activities pass through this gate while they run. Closing it tells the running ones to stop (they
 * poll {@link #isClosed()} at least every few hundred milliseconds) and waits, within a bound,
 * until they have cleaned up and left.
 */
public final class ShutdownGate {

  /** Held by a running activity; closing it is leaving the gate. */
  public interface Pass extends AutoCloseable {
    @Override
    void close();
  }

  private volatile String closedBecause;
  private int inside;

  /** Enters the gate, or throws {@link WorkerShuttingDown} when it is already closed. */
  public synchronized Pass enter() {
    throwIfClosed();
    inside++;
    return this::leave;
  }

  private synchronized void leave() {
    inside--;
    notifyAll();
  }

  /** How many activities are inside now. */
  public synchronized int inside() {
    return inside;
  }

  public boolean isClosed() {
    return closedBecause != null;
  }

  public void throwIfClosed() {
    String reason = closedBecause;
    if (reason != null) {
      throw new WorkerShuttingDown(reason);
    }
  }

  /**
   * Closes the gate and waits until every activity inside has left or {@code bound} passed.
   *
   * @return how many activities were still inside when it returned
   */
  public synchronized int closeAndAwait(String reason, Duration bound) {
    closedBecause = reason;
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      while (inside > 0) {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          break;
        }
        wait(remainingMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inside;
  }
}
