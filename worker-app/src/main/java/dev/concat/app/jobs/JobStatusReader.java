package dev.concat.app.jobs;

import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.JobState;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a job's status: the workflow's {@code status} query, checked against what the server says
 * about the execution, so a job the server closed (terminated, timed out) never looks like it is
 * still running, and a job still has a status when no worker can answer: a closed one from its
 * result, a running one from the {@link ServerView server's view}. Answers within about two seconds
 * either way.
 */
public final class JobStatusReader {
  /**
   * A worker answers the query from memory in milliseconds; without a bound the SDK retries it for
   * about a minute when no worker polls. Past this, the server's view is shown instead.
   */
  static final Duration QUERY_BUDGET = Duration.ofMillis(1000);

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "status-query-deadline");
            thread.setDaemon(true);
            return thread;
          });

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
      status = boundedQuery(jobId);
    } catch (WorkflowException | StatusRuntimeException e) {
      return running
          ? ServerView.of(jobId, execution, Instant.now())
          : fromServer(jobId, execution);
    }
    if (!running && !status.state().isTerminal()) {
      return withEnd(
          status, closedState(serverStatus), "the server closed the job: " + serverStatus);
    }
    return status;
  }

  /**
   * True once the server considers the execution closed, whatever the workflow's own state says.
   */
  public boolean isClosed(String jobId) {
    return describe(jobId).getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  /**
   * The status query, given up after {@link #QUERY_BUDGET} (the gRPC deadline ends the SDK's
   * retries).
   */
  private ConcatStatus boundedQuery(String jobId) {
    Context.CancellableContext bounded =
        Context.current()
            .withDeadlineAfter(QUERY_BUDGET.toMillis(), TimeUnit.MILLISECONDS, DEADLINES);
    try {
      return bounded.call(() -> client.newWorkflowStub(ConcatWorkflow.class, jobId).status());
    } catch (WorkflowException | StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("job " + jobId + ": status query failed", e);
    } finally {
      bounded.cancel(null);
    }
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
    return new ConcatStatus(
        jobId,
        state,
        0,
        0,
        0,
        0,
        started,
        instant(execution.getCloseTime()),
        0,
        null,
        error,
        result);
  }

  private static ConcatStatus withEnd(ConcatStatus s, JobState state, String error) {
    String lastError = s.lastError() == null ? error : s.lastError();
    return new ConcatStatus(
        s.jobId(),
        state,
        s.segmentsTotal(),
        s.segmentsDownloaded(),
        s.segmentsConcatenated(),
        s.bytesUploaded(),
        s.startedAt(),
        s.lastProgressAt(),
        s.attempt(),
        s.worker(),
        lastError,
        s.result());
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
