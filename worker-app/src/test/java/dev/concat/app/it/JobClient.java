package dev.concat.app.it;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Starts jobs and reads them as any Temporal client does: workflow id = job id, the status query.
 */
final class JobClient {
  private final WorkflowClient client;
  private final String taskQueue;
  private final List<String> started = new CopyOnWriteArrayList<>();

  JobClient(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  void start(ConcatRequest request) {
    ConcatWorkflow workflow =
        client.newWorkflowStub(
            ConcatWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(request.jobId())
                .setTaskQueue(taskQueue)
                .build());
    WorkflowClient.start(workflow::concat, request);
    started.add(request.jobId());
  }

  ConcatStatus status(String jobId) {
    return client.newWorkflowStub(ConcatWorkflow.class, jobId).status();
  }

  /**
   * Polls the status query until {@code wanted} holds. A query can fail for a moment while the
   * workflow moves to another worker; only the deadline ends the wait.
   */
  ConcatStatus awaitStatus(
      String jobId, String what, Predicate<ConcatStatus> wanted, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    ConcatStatus last = null;
    RuntimeException lastError = null;
    while (System.nanoTime() < deadline) {
      try {
        last = status(jobId);
        lastError = null;
        if (wanted.test(last)) {
          return last;
        }
      } catch (WorkflowException | io.grpc.StatusRuntimeException e) {
        lastError = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "job "
            + jobId
            + ": not "
            + what
            + " within "
            + limit.toSeconds()
            + " s; last status "
            + last
            + (lastError == null ? "" : ", last query error " + lastError));
  }

  /** The job's result; throws the job's failure ({@link WorkflowFailedException}) if it failed. */
  ConcatResult awaitResult(String jobId, Duration limit) {
    try {
      return untyped(jobId).getResult(limit.toMillis(), TimeUnit.MILLISECONDS, ConcatResult.class);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "job "
              + jobId
              + " did not end within "
              + limit.toSeconds()
              + " s; status "
              + status(jobId),
          e);
    }
  }

  /** Waits for the job to end with a failure and returns it. */
  WorkflowFailedException awaitFailure(String jobId, Duration limit) {
    try {
      ConcatResult result = awaitResult(jobId, limit);
      throw new AssertionError(
          "job " + jobId + " completed (" + result + ") but was expected to fail");
    } catch (WorkflowFailedException e) {
      return e;
    }
  }

  /** Asks for cancellation, as {@code concat cancel} and the Web UI do. */
  void cancel(String jobId) {
    untyped(jobId).cancel();
  }

  /** Ends the jobs this client started that are still running, so none outlives its test. */
  void terminateRunning(String reason) {
    for (String jobId : started) {
      WorkflowStub job = untyped(jobId);
      if (job.describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        job.terminate(reason);
      }
    }
    started.clear();
  }

  WorkflowStub untyped(String jobId) {
    return client.newUntypedWorkflowStub(jobId);
  }
}
