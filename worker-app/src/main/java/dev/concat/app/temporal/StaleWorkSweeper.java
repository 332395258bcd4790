package dev.concat.app.temporal;

import dev.concat.activities.execution.JobSlots;
import dev.concat.activities.workdir.WorkDirectories;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the work directories of jobs that are no longer running: those a killed worker left
 * behind, and those of jobs that moved to another host and have since ended. A running job's
 * directory is kept: its next run may land on this host again and resume the download from it. Runs
 * at start and then periodically.
 */
final class StaleWorkSweeper {
  private static final Logger log = LoggerFactory.getLogger(StaleWorkSweeper.class);

  private final WorkflowClient client;
  private final WorkDirectories directories;
  private final JobSlots slots;

  StaleWorkSweeper(WorkflowClient client, WorkDirectories directories, JobSlots slots) {
    this.client = client;
    this.directories = directories;
    this.slots = slots;
  }

  /** Returns how many directories it deleted. */
  int sweep() {
    int deleted = 0;
    for (String jobId : directories.list()) {
      try {
        if (!slots.holds(jobId) && !isRunning(jobId) && directories.job(jobId).delete()) {
          log.info("job={} deleted the work directory of a job no longer running here", jobId);
          deleted++;
        }
      } catch (RuntimeException e) {
        log.warn("job={} leftover work directory not checked: {}", jobId, e.toString());
      }
    }
    return deleted;
  }

  private boolean isRunning(String jobId) {
    try {
      return client.newUntypedWorkflowStub(jobId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }
}
