package dev.concat.activities.execution;

import dev.concat.activities.ProgressReporter;
import dev.concat.activities.ProgressUpdate;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Temporal (heartbeat) and the workflow (throttled progress signal) how far one phase of a
 * job got. Callers invoke {@link #advanced} only when their own measure really moved, so a stuck
 * phase stops heartbeating and Temporal's heartbeat timeout catches it.
 */
public final class PhaseProgress {
  private static final Logger log = LoggerFactory.getLogger(PhaseProgress.class);

  private final String jobId;
  private final String phase;
  private final long total;
  private final ActivityExecutionContext context;
  private final ProgressReporter reporter;
  private final ProgressThrottle throttle;
  private final String worker;
  private boolean reportFailureLogged;

  public PhaseProgress(
      String jobId,
      String phase,
      long total,
      ActivityExecutionContext context,
      ProgressReporter reporter,
      Duration reportInterval,
      String worker) {
    this.jobId = jobId;
    this.phase = phase;
    this.total = total;
    this.context = context;
    this.reporter = reporter;
    this.throttle = new ProgressThrottle(reportInterval, total);
    this.worker = worker;
  }

  /**
   * Records progress. Throws {@link io.temporal.client.ActivityCompletionException} when Temporal
   * says the activity is cancelled, timed out or gone; the caller must then stop its work.
   */
  public void advanced(long done, Object heartbeatDetails) {
    context.heartbeat(heartbeatDetails);
    if (throttle.shouldReport(done, System.nanoTime())) {
      report(done);
    }
  }

  /** Heartbeats without a progress signal, for work that advances but does not finish segments. */
  public void heartbeat(Object heartbeatDetails) {
    context.heartbeat(heartbeatDetails);
  }

  private void report(long done) {
    var update =
        new ProgressUpdate(phase, done, total, worker, context.getInfo().getAttempt(), System.currentTimeMillis());
    try {
      reporter.report(jobId, update);
    } catch (RuntimeException e) {
      // Progress is informational: a workflow that cannot take the signal must not fail the work.
      if (!reportFailureLogged) {
        reportFailureLogged = true;
        log.warn("job {}: could not report {} progress to the workflow: {}", jobId, phase, e.toString());
      }
    }
  }
}
