package dev.concat.workflows;

import dev.concat.activities.ProgressUpdate;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Joins a job's segments into one file. Workflow type {@code ConcatWorkflow}; workflow id = job id. */
@WorkflowInterface
public interface ConcatWorkflow {

  @WorkflowMethod
  ConcatResult concat(ConcatRequest request);

  /** The job's current state and progress; answered from memory, never blocks. */
  @QueryMethod(name = "status")
  ConcatStatus status();

  /** Progress from the running activity; throttled by the sender, so history stays small. */
  @SignalMethod(name = ProgressUpdate.SIGNAL)
  void progress(ProgressUpdate update);
}
