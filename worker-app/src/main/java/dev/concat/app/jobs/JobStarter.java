package dev.concat.app.jobs;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Optional;

/** Starts a job's workflow, or finds that it already runs or already succeeded. */
public final class JobStarter {

  /** What submitting a job id did. */
  public enum Outcome {
    STARTED,
    ALREADY_RUNNING,
    ALREADY_COMPLETED
  }

  private final WorkflowClient client;
  private final String taskQueue;

  public JobStarter(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  /** The outcome a start would have without starting: empty when a start would run the job. */
  public Optional<Outcome> existing(String jobId) {
    try {
      WorkflowExecutionStatus status = new JobStatusReader(client).describe(jobId).getStatus();
      return switch (status) {
        case WORKFLOW_EXECUTION_STATUS_RUNNING -> Optional.of(Outcome.ALREADY_RUNNING);
        case WORKFLOW_EXECUTION_STATUS_COMPLETED -> Optional.of(Outcome.ALREADY_COMPLETED);
        default -> Optional.empty();
      };
    } catch (JobNotFoundException e) {
      return Optional.empty();
    }
  }

  public Outcome start(ConcatRequest request) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(request.jobId())
            .setTaskQueue(taskQueue)
            // A running or completed job never runs twice; a failed, cancelled or timed-out one may
            // be submitted again.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
            .build();
    ConcatWorkflow workflow = client.newWorkflowStub(ConcatWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::concat, request);
      return Outcome.STARTED;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return existing(request.jobId()).orElse(Outcome.ALREADY_RUNNING);
    }
  }
}
