package dev.concat.contract;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Joins a job's segments into one file. Workflow type {@code ConcatWorkflow}; workflow id = job id.
 */
@WorkflowInterface
public interface ConcatWorkflow {

  @WorkflowMethod
  ConcatResult concat(ConcatRequest request);

  /** The job's current state and progress; answered from memory, never blocks. */
  @QueryMethod(name = "status")
  ConcatStatus status();

  /**
   * The legacy progress channel, kept so jobs started before {@link #reportProgress} replay and
   * finish; jobs with a progress token ignore it. Its argument is a {@link ProgressUpdate} as JSON,
   * taken as any value so that no payload (null, a string, wrongly typed fields) fails to decode:
   * the handler reads it and drops what is not a well-formed, current report.
   */
  @SignalMethod(name = ProgressUpdate.SIGNAL)
  void progress(Object update);

  /**
   * Progress from the current attempt's activity; throttled by the sender, so history stays small.
   */
  @UpdateMethod(name = ProgressUpdate.UPDATE)
  void reportProgress(ProgressUpdate update);

  /**
   * Rejects a report that is not from the current attempt, for another phase, out of range or dated
   * in the future: a rejected update never enters the job's history.
   */
  @UpdateValidatorMethod(updateName = ProgressUpdate.UPDATE)
  void validateProgress(ProgressUpdate update);
}
