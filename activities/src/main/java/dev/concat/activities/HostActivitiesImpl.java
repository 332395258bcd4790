package dev.concat.activities;

import dev.concat.activities.execution.HostResources;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.HostActivities;
import dev.concat.contract.HostClaim;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Claims the job for this worker's host by naming the task queue only this host polls, but only
 * when the host has a free job slot, is not shutting down and did not just hand this job back for
 * lack of disk; otherwise the claim fails and its retry reaches another worker (or this one, once a
 * slot is free).
 */
public final class HostActivitiesImpl implements HostActivities {
  /** Within the claim's 10 s start-to-close: a slot freed meanwhile is taken at once. */
  private static final Duration SLOT_WAIT = Duration.ofSeconds(5);

  private final String hostTaskQueue;
  private final String workerIdentity;
  private final HostResources host;

  /**
   * @param host this host's resources, shared with the job steps it claims jobs for
   */
  public HostActivitiesImpl(String hostTaskQueue, String workerIdentity, HostResources host) {
    this.hostTaskQueue = hostTaskQueue;
    this.workerIdentity = workerIdentity;
    this.host = host;
  }

  @Override
  public HostClaim claimHost(String jobId) {
    if (host.gate().isClosed()) {
      throw unavailable(jobId, "is shutting down");
    }
    Optional<String> noRoom = host.diskShortfalls().refusal(jobId, host.usableDisk());
    if (noRoom.isPresent()) {
      throw unavailable(jobId, noRoom.get());
    }
    try {
      if (!host.slots().claim(jobId, SLOT_WAIT)) {
        throw unavailable(jobId, "has all " + host.slots().capacity() + " job slots busy");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(jobId, "was interrupted");
    }
    if (host.gate().isClosed()) {
      host.slots().release(jobId);
      throw unavailable(jobId, "is shutting down");
    }
    return new HostClaim(hostTaskQueue, workerIdentity);
  }

  private ApplicationFailure unavailable(String jobId, String why) {
    return FailureType.HOST_UNAVAILABLE.failure(
        FailureSubject.job(jobId)
            .describe("worker " + workerIdentity + " " + why + "; another worker will take it"));
  }
}
