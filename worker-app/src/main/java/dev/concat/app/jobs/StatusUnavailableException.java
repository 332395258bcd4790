package dev.concat.app.jobs;

/** A running job whose status query failed: no worker polls its task queue, or the workflow cannot run. */
public final class StatusUnavailableException extends RuntimeException {
  public StatusUnavailableException(String jobId, String taskQueue, Throwable cause) {
    super("job " + jobId + " is running but its status query failed (is a worker polling task queue '"
        + taskQueue + "'?): " + FailureMessages.rootMessage(cause), cause);
  }
}
