package dev.concat.activities;

import dev.concat.activities.execution.DiskShortfalls;
import dev.concat.activities.execution.JobSlots;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Claims the job for this worker's host by naming the task queue only this host polls, but only
 * when the host has a free job slot, is not shutting down and did not just hand this job back for
 * lack of disk; otherwise the claim fails and its retry reaches another worker (or this one, once
 * a slot is free).
 */
public final class HostActivitiesImpl implements HostActivities {
  /** Within the claim's 10 s start-to-close: a slot freed meanwhile is taken at once. */
  private static final Duration SLOT_WAIT = Duration.ofSeconds(5);

  private final String hostTaskQueue;
  private final String workerIdentity;
  private final JobSlots slots;
  private final BooleanSupplier shuttingDown;
  private final DiskShortfalls shortfalls;
  private final LongSupplier usableDisk;

  public HostActivitiesImpl(String hostTaskQueue, String workerIdentity, JobSlots slots, BooleanSupplier shuttingDown) {
    this(hostTaskQueue, workerIdentity, slots, shuttingDown, new DiskShortfalls(), () -> Long.MAX_VALUE);
  }

  /**
   * @param shortfalls the jobs this host recently handed back for lack of disk
   * @param usableDisk the work directory's free bytes now
   */
  public HostActivitiesImpl(String hostTaskQueue, String workerIdentity, JobSlots slots, BooleanSupplier shuttingDown,
      DiskShortfalls shortfalls, LongSupplier usableDisk) {
    this.hostTaskQueue = hostTaskQueue;
    this.workerIdentity = workerIdentity;
    this.slots = slots;
    this.shuttingDown = shuttingDown;
    this.shortfalls = shortfalls;
    this.usableDisk = usableDisk;
  }

  @Override
  public HostClaim claimHost(String jobId) {
    if (shuttingDown.getAsBoolean()) {
      throw unavailable(jobId, "is shutting down");
    }
    Optional<String> noRoom = shortfalls.refusal(jobId, usableDisk);
    if (noRoom.isPresent()) {
      throw unavailable(jobId, noRoom.get());
    }
    try {
      if (!slots.claim(jobId, SLOT_WAIT)) {
        throw unavailable(jobId, "has all " + slots.capacity() + " job slots busy");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(jobId, "was interrupted");
    }
    if (shuttingDown.getAsBoolean()) {
      slots.release(jobId);
      throw unavailable(jobId, "is shutting down");
    }
    return new HostClaim(hostTaskQueue, workerIdentity);
  }

  private ApplicationFailure unavailable(String jobId, String why) {
    return FailureType.HOST_UNAVAILABLE.failure(
        FailureSubject.job(jobId).describe("worker " + workerIdentity + " " + why + "; another worker will take it"));
  }
}
