package dev.concat.activities.execution;

import dev.concat.activities.ProgressReporter;
import dev.concat.contract.ProgressUpdate;
import io.temporal.client.WorkflowClient;

/**
 * Delivers an activity's progress to its own job's workflow, with the client the activity runs
 * under: the {@value ProgressUpdate#UPDATE} update when the workflow handed out a token (the
 * workflow's validator refuses what is not from its current attempt, and a refused report never
 * enters the history), else the legacy {@value ProgressUpdate#SIGNAL} signal.
 */
public final class WorkflowProgressChannel implements ProgressReporter {
  private final WorkflowClient client;

  public WorkflowProgressChannel(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void report(String jobId, ProgressUpdate update) {
    if (update.token() != null) {
      client.newUntypedWorkflowStub(jobId).update(ProgressUpdate.UPDATE, Void.class, update);
    } else {
      client.newUntypedWorkflowStub(jobId).signal(ProgressUpdate.SIGNAL, update);
    }
  }
}
