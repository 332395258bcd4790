package dev.concat.app.temporal;

import dev.concat.activities.workdir.WorkDirectories;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the work directories a killed worker left behind for jobs that are no longer running.
 * A running job's directory is kept: its next attempt may land on this host again and resume
 * the download from it.
 */
final class StaleWorkSweeper {
  private static final Logger log = LoggerFactory.getLogger(StaleWorkSweeper.class);

  private final WorkflowClient client;
  private final WorkDirectories directories;

  StaleWorkSweeper(WorkflowClient client, WorkDirectories directories) {
    this.client = client;
    this.directories = directories;
  }

  void sweep() {
    for (String jobId : directories.list()) {
      try {
        if (!isRunning(jobId) && directories.job(jobId).delete()) {
          log.info("job={} deleted the work directory a previous worker left behind", jobId);
        }
      } catch (RuntimeException e) {
        log.warn("job={} leftover work directory not checked: {}", jobId, e.toString());
      }
    }
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
