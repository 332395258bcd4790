package dev.concat.app.temporal;

import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The activity slots of the shared queue, whose only activity is the host claim: this worker asks
 * the server for a claim only while it has a free job slot. A job waiting for a slot then goes to
 * the first worker that frees one, instead of to a busy worker that holds the claim and refuses it
 * (the claim's retry backoff used to leave a freed slot idle for seconds).
 */
final class FreeJobSlotSupplier implements SlotSupplier<ActivitySlotInfo>, AutoCloseable {
  /** Job slots also free up by expiry, which tells no one; looking this often costs nothing. */
  private static final long RECHECK_MILLIS = 200;

  private final IntSupplier freeJobSlots;
  private final int capacity;
  private final Deque<CompletableFuture<SlotPermit>> waiting = new ArrayDeque<>();
  private final ScheduledExecutorService recheck =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "concat-claim-slots");
            thread.setDaemon(true);
            return thread;
          });

  /** Permits out: a claim poll waiting on the server, or a claim running. */
  private int lent;

  FreeJobSlotSupplier(IntSupplier freeJobSlots, int capacity) {
    this.freeJobSlots = freeJobSlots;
    this.capacity = capacity;
    recheck.scheduleWithFixedDelay(
        this::grant, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> context) {
    if (available()) {
      lent++;
      return SlotSupplierFuture.completedFuture(new SlotPermit());
    }
    CompletableFuture<SlotPermit> waiter = new CompletableFuture<>();
    waiting.add(waiter);
    return SlotSupplierFuture.fromCompletableFuture(waiter, () -> abandon(waiter));
  }

  @Override
  public synchronized Optional<SlotPermit> tryReserveSlot(
      SlotReserveContext<ActivitySlotInfo> context) {
    if (!available()) {
      return Optional.empty();
    }
    lent++;
    return Optional.of(new SlotPermit());
  }

  @Override
  public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> context) {}

  @Override
  public synchronized void releaseSlot(SlotReleaseContext<ActivitySlotInfo> context) {
    lent--;
    grant();
  }

  @Override
  public Optional<Integer> getMaximumSlots() {
    return Optional.of(capacity);
  }

  /** Hands permits to waiting pollers while job slots are free beyond those already lent. */
  synchronized void grant() {
    while (!waiting.isEmpty() && available()) {
      if (waiting.poll().complete(new SlotPermit())) {
        lent++;
      }
    }
  }

  /** An aborted reservation: forget it, or take back its permit if it was granted meanwhile. */
  private synchronized void abandon(CompletableFuture<SlotPermit> waiter) {
    if (!waiting.remove(waiter) && waiter.isDone() && !waiter.isCompletedExceptionally()) {
      lent--;
      grant();
    }
  }

  private boolean available() {
    return freeJobSlots.getAsInt() - lent > 0;
  }

  @Override
  public void close() {
    recheck.shutdownNow();
  }
}
