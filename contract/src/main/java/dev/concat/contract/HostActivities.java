package dev.concat.contract;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs on the shared task queue: whichever worker picks it up becomes the job's host. */
@ActivityInterface
public interface HostActivities {

  /**
   * Returns the task queue that only this worker's host polls, so the rest of the job stays on its
   * disk.
   */
  @ActivityMethod
  HostClaim claimHost(String jobId);
}
