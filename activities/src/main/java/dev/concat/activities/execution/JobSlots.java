package dev.concat.activities.execution;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The jobs this host has taken on, at most {@code capacity} at a time. A host claims a job only
 * with a free slot, so a busy worker never takes a job it cannot start (the job's steps would wait
 * on its queue past their schedule-to-start timeout). A job keeps its slot from the claim until it
 * leaves the host: its upload succeeded, a step failed (the next run claims anew) or it was cleaned
 * up. A slot whose job shows no activity for {@link #IDLE_EXPIRY} is freed, since its workflow went
 * elsewhere without telling this host.
 *
 * <p>It also keeps a job's steps on this host one at a time: a step of a job waits until an earlier
 * step of the same job has left (one that Temporal gave up on while this worker was stopped, say),
 * so the two never share the job's work directory.
 */
public final class JobSlots {
  /** Longer than any gap between two steps of a job on one host (schedule-to-start is 10 s). */
  static final Duration IDLE_EXPIRY = Duration.ofSeconds(60);

  private final int capacity;
  private final LongSupplier nanoClock;
  private final Map<String, Slot> slots = new HashMap<>();

  private static final class Slot {
    boolean running;
    long lastSeen;
  }

  public JobSlots(int capacity) {
    this(capacity, System::nanoTime);
  }

  JobSlots(int capacity, LongSupplier nanoClock) {
    this.capacity = Math.max(1, capacity);
    this.nanoClock = nanoClock;
  }

  /**
   * Takes a slot for {@code jobId}, waiting up to {@code wait} for one to free up. A job that
   * already holds one (its next run landed here again) keeps it.
   *
   * @return whether the job now holds a slot
   */
  public synchronized boolean claim(String jobId, Duration wait) throws InterruptedException {
    long deadline = nanoClock.getAsLong() + wait.toNanos();
    while (!slots.containsKey(jobId) && occupied() >= capacity) {
      long remainingMillis = (deadline - nanoClock.getAsLong()) / 1_000_000;
      if (remainingMillis <= 0) {
        return false;
      }
      wait(Math.min(remainingMillis, 1_000));
    }
    slots.computeIfAbsent(jobId, id -> new Slot()).lastSeen = nanoClock.getAsLong();
    return true;
  }

  /**
   * Marks a step of {@code jobId} as running, after any earlier step of the same job has left
   * (waiting at most {@code wait}). A step that arrives without a claim (cleanup, or a slot that
   * expired) is let in regardless of capacity: the worker's activity slots still bound it.
   *
   * @return the step's hold on the job; closing it marks the step finished
   * @throws IllegalStateException when the earlier step did not leave in time
   */
  public synchronized Step start(String jobId, Duration wait) throws InterruptedException {
    long deadline = nanoClock.getAsLong() + wait.toNanos();
    Slot slot;
    while ((slot = slots.get(jobId)) != null && slot.running) {
      long remainingMillis = (deadline - nanoClock.getAsLong()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new IllegalStateException(
            "an earlier step of job " + jobId + " is still running on this host");
      }
      wait(remainingMillis);
    }
    Slot held = slots.computeIfAbsent(jobId, id -> new Slot());
    held.running = true;
    held.lastSeen = nanoClock.getAsLong();
    return new Step(jobId);
  }

  /** Frees {@code jobId}'s slot: the job left this host. */
  public synchronized void release(String jobId) {
    Slot slot = slots.get(jobId);
    if (slot != null && !slot.running) {
      slots.remove(jobId);
    }
    notifyAll();
  }

  /** Jobs holding a slot now, after freeing those idle for longer than {@link #IDLE_EXPIRY}. */
  public synchronized int occupied() {
    long now = nanoClock.getAsLong();
    slots.values().removeIf(s -> !s.running && now - s.lastSeen > IDLE_EXPIRY.toNanos());
    return slots.size();
  }

  /** Slots no job holds now. */
  public synchronized int free() {
    return Math.max(0, capacity - occupied());
  }

  /** Whether {@code jobId} holds a slot here (claimed, or a step running). */
  public synchronized boolean holds(String jobId) {
    occupied();
    return slots.containsKey(jobId);
  }

  public int capacity() {
    return capacity;
  }

  private synchronized void finish(String jobId, boolean leaves) {
    Slot slot = slots.get(jobId);
    if (slot != null) {
      slot.running = false;
      slot.lastSeen = nanoClock.getAsLong();
      if (leaves) {
        slots.remove(jobId);
      }
    }
    notifyAll();
  }

  /** One running step of a job. */
  public final class Step implements AutoCloseable {
    private final String jobId;
    private boolean leaves;

    private Step(String jobId) {
      this.jobId = jobId;
    }

    /** The job leaves this host when the step ends (it failed, completed the job or cleaned up). */
    public void jobLeaves() {
      leaves = true;
    }

    @Override
    public void close() {
      finish(jobId, leaves);
    }
  }
}
