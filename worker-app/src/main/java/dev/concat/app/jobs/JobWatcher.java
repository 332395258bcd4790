package dev.concat.app.jobs;

import dev.concat.app.progress.ProgressView;
import dev.concat.contract.ConcatStatus;
import io.temporal.client.WorkflowClient;
import java.io.PrintStream;
import java.time.Duration;

/** Follows a job with a progress view until it reaches a terminal state. */
public final class JobWatcher {
  /** Status queries are answered from a worker's memory, so polling this often costs little. */
  private static final Duration POLL = Duration.ofMillis(500);

  private final JobStatusReader reader;
  private final PrintStream err;
  private final boolean terminal;

  public JobWatcher(WorkflowClient client, PrintStream err, boolean terminal) {
    this.reader = new JobStatusReader(client);
    this.err = err;
    this.terminal = terminal;
  }

  /** Shows progress until the job ends and returns its final status. */
  public ConcatStatus watch(String jobId) throws InterruptedException {
    try (ProgressView view = ProgressView.on(err, terminal, "job " + jobId)) {
      while (true) {
        ConcatStatus status = reader.read(jobId);
        view.show(StatusFormat.progressLabel(status), segmentsDone(status), status.segmentsTotal());
        if (status.state().isTerminal()) {
          return status;
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  /** Segments done in the current phase; the bar restarts for each phase and its label names it. */
  static long segmentsDone(ConcatStatus status) {
    return switch (status.state()) {
      case PENDING -> 0;
      case DOWNLOADING -> status.segmentsDownloaded();
      case CONCATENATING -> status.segmentsConcatenated();
      case UPLOADING, COMPLETED -> status.segmentsTotal();
      case FAILED, CANCELLED ->
          status.segmentsConcatenated() > 0
              ? status.segmentsConcatenated()
              : status.segmentsDownloaded();
    };
  }
}
