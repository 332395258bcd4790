package dev.concat.activities.execution;

/**
 * Thrown inside an activity once the worker started shutting down and the activity has stopped its
 * work (FFmpeg killed, transfers stopped); the activity turns it into a {@code WorkerShutdown}
 * failure after deleting the job's files.
 */
public final class WorkerShuttingDown extends RuntimeException {
  public WorkerShuttingDown(String reason) {
    super(reason, null, false, false);
  }
}
