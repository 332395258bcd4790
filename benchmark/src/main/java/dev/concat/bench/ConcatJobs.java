package dev.concat.bench;

import dev.concat.app.jobs.JobStarter;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.audio.Loudness;
import io.temporal.client.WorkflowClient;
import java.util.List;

/** Jobs submitted through the Temporal client, exactly as an integrator submits them. */
final class ConcatJobs {
  private final WorkflowClient client;
  private final JobStarter starter;

  ConcatJobs(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.starter = new JobStarter(client, taskQueue);
  }

  /** A job that joins {@code segments} into {@code output}. */
  static ConcatRequest request(
      String jobId, List<String> segments, String output, boolean allowStreamCopy) {
    return ConcatRequest.builder(jobId)
        .segments(segments)
        .output(output)
        .allowStreamCopy(allowStreamCopy)
        .build();
  }

  /** A job that joins {@code segments} into {@code output} normalised to {@code loudness}. */
  static ConcatRequest normalised(
      String jobId, List<String> segments, String output, Loudness loudness) {
    return ConcatRequest.builder(jobId)
        .segments(segments)
        .output(output)
        .loudness(loudness)
        .build();
  }

  void submit(ConcatRequest request) {
    JobStarter.Outcome outcome = starter.start(request);
    if (outcome != JobStarter.Outcome.STARTED) {
      throw new IllegalStateException("job " + request.jobId() + " was not started: " + outcome);
    }
  }

  /** Waits for the job's result as the client sees it; a failed job throws. */
  ConcatResult await(String jobId) {
    return client.newUntypedWorkflowStub(jobId).getResult(ConcatResult.class);
  }

  /** The job's status query, answered by the workflow on a worker. */
  ConcatStatus status(String jobId) {
    return client.newWorkflowStub(ConcatWorkflow.class, jobId).status();
  }

  JobHistory history(String jobId) {
    return JobHistory.of(client.fetchHistory(jobId).getEvents());
  }
}
