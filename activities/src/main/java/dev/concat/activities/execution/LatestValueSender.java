package dev.concat.activities.execution;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands values to a slow or blocking consumer without ever making the offering thread wait: values
 * are sent one at a time on another thread, and one offered while a send is under way replaces any
 * still waiting, so only the latest is sent next. A Temporal outage then costs the thread watching
 * FFmpeg nothing, and what piles up is one value, not a queue.
 */
final class LatestValueSender<T> {
  private final AtomicReference<T> waiting = new AtomicReference<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final Executor executor;
  private final Consumer<T> send;

  /**
   * {@code send} runs on {@code executor}'s threads, never two at once; what it throws is its own
   * business.
   */
  LatestValueSender(Executor executor, Consumer<T> send) {
    this.executor = executor;
    this.send = send;
  }

  void offer(T value) {
    waiting.set(value);
    drain();
  }

  private void drain() {
    if (sending.compareAndSet(false, true)) {
      executor.execute(this::sendWaiting);
    }
  }

  private void sendWaiting() {
    try {
      for (T value; (value = waiting.getAndSet(null)) != null; ) {
        send.accept(value);
      }
    } finally {
      sending.set(false);
      if (waiting.get() != null) {
        drain();
      }
    }
  }
}
