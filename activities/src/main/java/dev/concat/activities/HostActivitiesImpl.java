package dev.concat.activities;

/** Claims the job for this worker's host by naming the task queue only this host polls. */
public final class HostActivitiesImpl implements HostActivities {
  private final String hostTaskQueue;
  private final String workerIdentity;

  public HostActivitiesImpl(String hostTaskQueue, String workerIdentity) {
    this.hostTaskQueue = hostTaskQueue;
    this.workerIdentity = workerIdentity;
  }

  @Override
  public HostClaim claimHost(String jobId) {
    return new HostClaim(hostTaskQueue, workerIdentity);
  }
}
