package dev.concat.app.jobs;

import dev.concat.workflows.ConcatResult;
import dev.concat.workflows.ConcatStatus;
import dev.concat.workflows.ConcatWorkflow;
import dev.concat.workflows.JobState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Instant;

/**
 * Reads a job's status: the workflow's {@code status} query, checked against what the server
 * says about the execution, so a job the server closed (terminated, timed out) never looks
 * like it is still running, and a closed job still has a status when no worker can answer.
 */
public final class JobStatusReader {
  private final WorkflowClient client;

  public JobStatusReader(WorkflowClient client) {
    this.client = client;
  }

  public ConcatStatus read(String jobId) {
    WorkflowExecutionDescription execution = describe(jobId);
    WorkflowExecutionStatus serverStatus = execution.getStatus();
    boolean running = serverStatus == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    ConcatStatus status;
    try {
      status = client.newWorkflowStub(ConcatWorkflow.class, jobId).status();
    } catch (WorkflowException e) {
      if (running) {
        throw new StatusUnavailableException(jobId, execution.getTaskQueue(), e);
      }
      return fromServer(jobId, execution);
    }
    if (!running && !status.state().isTerminal()) {
      return withEnd(status, closedState(serverStatus), "the server closed the job: " + serverStatus);
    }
    return status;
  }

  /** True once the server considers the execution closed, whatever the workflow's own state says. */
  public boolean isClosed(String jobId) {
    return describe(jobId).getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  WorkflowExecutionDescription describe(String jobId) {
    try {
      return client.newUntypedWorkflowStub(jobId).describe();
    } catch (WorkflowNotFoundException e) {
      throw new JobNotFoundException(jobId, client.getOptions().getNamespace());
    }
  }

  private ConcatStatus fromServer(String jobId, WorkflowExecutionDescription execution) {
    JobState state = closedState(execution.getStatus());
    ConcatResult result = null;
    String error = null;
    WorkflowStub stub = client.newUntypedWorkflowStub(jobId);
    try {
      result = stub.getResult(ConcatResult.class);
    } catch (WorkflowException e) {
      error = FailureMessages.rootMessage(e);
    }
    String started = instant(execution.getStartTime());
    return new ConcatStatus(jobId, state, 0, 0, 0, 0, started, instant(execution.getCloseTime()), 0, null, error, result);
  }

  private static ConcatStatus withEnd(ConcatStatus s, JobState state, String error) {
    String lastError = s.lastError() == null ? error : s.lastError();
    return new ConcatStatus(s.jobId(), state, s.segmentsTotal(), s.segmentsDownloaded(), s.segmentsConcatenated(),
        s.bytesUploaded(), s.startedAt(), s.lastProgressAt(), s.attempt(), s.worker(), lastError, s.result());
  }

  private static JobState closedState(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> JobState.COMPLETED;
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> JobState.CANCELLED;
      default -> JobState.FAILED;
    };
  }

  private static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
