package dev.concat.app.temporal;

import dev.concat.activities.ProgressReporter;
import dev.concat.activities.ProgressUpdate;
import io.temporal.client.WorkflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers activity progress to the job's workflow as a signal. Progress is a courtesy to
 * whoever watches the job, so a failed signal is logged and never fails the activity.
 */
public final class WorkflowSignalProgressReporter implements ProgressReporter {
  private static final Logger log = LoggerFactory.getLogger(WorkflowSignalProgressReporter.class);

  private final WorkflowClient client;

  public WorkflowSignalProgressReporter(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void report(String jobId, ProgressUpdate update) {
    try {
      client.newUntypedWorkflowStub(jobId).signal(ProgressUpdate.SIGNAL, update);
    } catch (RuntimeException e) {
      log.warn("job={} phase={} progress signal not delivered: {}", jobId, update.phase(), e.toString());
    }
  }
}
