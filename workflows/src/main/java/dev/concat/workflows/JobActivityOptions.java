package dev.concat.workflows;

import dev.concat.contract.FailureType;
import dev.concat.contract.JobTimeouts;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Every activity option of a job, in one place, each timeout with its reason. */
final class JobActivityOptions {
  /** Tries of one run, on whichever workers take it, before the job's host attempt fails. */
  static final int CHUNK_ATTEMPTS = 4;

  private final JobTimeouts timeouts;

  JobActivityOptions(JobTimeouts timeouts) {
    this.timeouts = timeouts.withDefaults();
  }

  /**
   * Claiming a host succeeds on a worker with a free job slot; it may wait as long as it takes for
   * one (the job's deadline bounds it).
   */
  ActivityOptions claimHost() {
    return ActivityOptions.newBuilder()
        // A worker with a free slot answers at once, a busy one within 5 s; anything longer is a
        // worker that died holding the task.
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        // A busy worker refuses; ask again soon, so a slot freed anywhere is taken within seconds.
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(5))
                .build())
        // Eager dispatch would hand every claim to the worker that ran the workflow task, so
        // reruns after a stall went back to the stalled host; through the queue any worker may.
        .setDisableEagerExecution(true)
        .build();
  }

  ActivityOptions download(String hostQueue) {
    return hostBound(hostQueue, timeouts.downloadSeconds());
  }

  ActivityOptions concat(String hostQueue) {
    return hostBound(hostQueue, timeouts.concatSeconds());
  }

  ActivityOptions upload(String hostQueue) {
    return hostBound(hostQueue, timeouts.uploadSeconds());
  }

  /** Cleanup is best effort: a dead host's files are removed when its worker starts again. */
  ActivityOptions cleanup(String hostQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(hostQueue)
        .setScheduleToStartTimeout(Duration.ofSeconds(timeouts.hostScheduleToStartSeconds()))
        .setStartToCloseTimeout(Duration.ofSeconds(60))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).build())
        .build();
  }

  /**
   * A run of a spread encode's chunks goes to any worker: it reads and writes only the job's
   * staging in S3, so a lost worker's run is simply retried elsewhere, from its first chunk not yet
   * stored.
   */
  ActivityOptions encodeChunks(String chunkQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(chunkQueue)
        // No schedule-to-start bound: a run waits for a free encoder anywhere, and the host that
        // staged it polls this queue too; the job's deadline bounds the wait.
        .setStartToCloseTimeout(Duration.ofSeconds(timeouts.concatSeconds()))
        .setHeartbeatTimeout(Duration.ofSeconds(timeouts.heartbeatSeconds()))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(2))
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(CHUNK_ATTEMPTS)
                .setDoNotRetry(FailureType.nonRetryableTypes())
                .build())
        .build();
  }

  /** Deleting the staging is best effort: the documented lifecycle rule catches what is left. */
  ActivityOptions deleteStaged(String chunkQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(chunkQueue)
        .setScheduleToCloseTimeout(Duration.ofMinutes(5))
        .setStartToCloseTimeout(Duration.ofSeconds(60))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
        .build();
  }

  private ActivityOptions hostBound(String hostQueue, long startToCloseSeconds) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(hostQueue)
        // The host's files are useless elsewhere: if nobody on it picks the task up quickly,
        // the host is gone and the workflow reruns the whole sequence on another one.
        .setScheduleToStartTimeout(Duration.ofSeconds(timeouts.hostScheduleToStartSeconds()))
        // A bound on one attempt, so that nothing runs forever even while it heartbeats.
        .setStartToCloseTimeout(Duration.ofSeconds(startToCloseSeconds))
        // Silence this long means a dead worker or a stuck FFmpeg.
        .setHeartbeatTimeout(Duration.ofSeconds(timeouts.heartbeatSeconds()))
        // Cancellation must wait for FFmpeg to be killed and files deleted before CANCELLED.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        // One attempt only: a retry would wait on this host's queue, and a dead host's queue is
        // only noticed by schedule-to-start on a first attempt (the in-process test server does
        // not time out retried attempts at all). The workflow reruns the sequence instead, on
        // whichever live worker claims it; finished segments on a live host's disk are reused.
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }
}
