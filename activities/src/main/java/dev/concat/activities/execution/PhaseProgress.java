package dev.concat.activities.execution;

import dev.concat.activities.ProgressReporter;
import dev.concat.contract.ProgressUpdate;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Temporal (heartbeat) and the workflow (throttled progress report) how far one phase of a
 * job got. Callers invoke {@link #advanced} only when their own measure really moved, so a stuck
 * phase stops heartbeating and Temporal's heartbeat timeout catches it.
 *
 * <p>Both go out on other threads ({@link LatestValueSender}): the caller never waits for Temporal.
 * What Temporal answers comes back at the caller's next call: when the attempt was cancelled, or no
 * heartbeat was acknowledged for one heartbeat timeout (the SDK's local heartbeat timeout: the
 * server has given the work to another worker by then), the call throws {@link
 * ActivityCompletionException} and the caller stops its FFmpeg or transfer; the activity then frees
 * its slot and deletes its files.
 */
public final class PhaseProgress {
  private static final Logger log = LoggerFactory.getLogger(PhaseProgress.class);

  private final String jobId;
  private final String phase;
  private final long total;
  private final ActivityExecutionContext context;
  private final ProgressThrottle throttle;
  private final String worker;
  private final String token;
  private final LatestValueSender<Object> heartbeats;
  private final LatestValueSender<ProgressUpdate> reports;
  private final AtomicBoolean reportFailureLogged = new AtomicBoolean();
  private final AtomicBoolean heartbeatFailureLogged = new AtomicBoolean();
  private volatile ActivityCompletionException stopped;

  /**
   * @param token the workflow attempt's progress token, sent with every report; null for a job
   *     started before tokens, whose reports go by the legacy signal
   * @param threads where heartbeats and reports are sent from
   */
  public PhaseProgress(
      String jobId,
      String phase,
      long total,
      ActivityExecutionContext context,
      ProgressReporter reporter,
      Duration reportInterval,
      String worker,
      String token,
      Executor threads) {
    this.jobId = jobId;
    this.phase = phase;
    this.total = total;
    this.context = context;
    this.throttle = new ProgressThrottle(reportInterval, total);
    this.worker = worker;
    this.token = token;
    this.heartbeats = new LatestValueSender<>(threads, this::sendHeartbeat);
    this.reports = new LatestValueSender<>(threads, update -> send(reporter, update));
  }

  /**
   * Records progress. Throws {@link ActivityCompletionException} when Temporal said the activity is
   * cancelled, timed out or gone, or could not be reached for one heartbeat timeout; the caller
   * must then stop its work.
   */
  public void advanced(long done, Object heartbeatDetails) {
    heartbeat(heartbeatDetails);
    if (throttle.shouldReport(done, System.nanoTime())) {
      reports.offer(
          new ProgressUpdate(
              phase,
              done,
              total,
              worker,
              context.getInfo().getAttempt(),
              System.currentTimeMillis(),
              token));
    }
  }

  /** Heartbeats without a progress report, for work that advances but does not finish segments. */
  public void heartbeat(Object heartbeatDetails) {
    throwIfStopped();
    heartbeats.offer(heartbeatDetails);
  }

  /** Throws what Temporal last said to stop this attempt, if it said so. */
  public void throwIfStopped() {
    ActivityCompletionException stop = stopped;
    if (stop != null) {
      throw stop;
    }
    // A cancel arrives in the answer to a heartbeat the sender already sent; the SDK keeps it here,
    // so the caller learns it now rather than after the sender's next heartbeat.
    if (context.getCancellationToken().isCancellationRequested()) {
      try {
        context.getCancellationToken().throwIfCancellationRequested();
      } catch (ActivityCompletionException cancelled) {
        stopped = cancelled;
        throw cancelled;
      }
    }
  }

  private void sendHeartbeat(Object details) {
    if (stopped != null) {
      return;
    }
    try {
      context.heartbeat(details);
    } catch (ActivityCompletionException stop) {
      stopped = stop;
      log.info(
          "job {}: Temporal ended this {} attempt or could not be reached for one heartbeat timeout ({}); "
              + "stopping it",
          jobId,
          phase,
          stop.getClass().getSimpleName());
    } catch (RuntimeException e) {
      if (heartbeatFailureLogged.compareAndSet(false, true)) {
        log.warn(
            "job {}: {} heartbeat not sent (said once per phase): {}", jobId, phase, e.toString());
      }
    }
  }

  private void send(ProgressReporter reporter, ProgressUpdate update) {
    if (stopped != null) {
      return;
    }
    try {
      reporter.report(jobId, update);
    } catch (WorkflowUpdateException | WorkflowNotFoundException refused) {
      // The workflow answered: the report came after its phase ended, from an attempt it left,
      // or after the job ended.
      log.debug(
          "job {}: the workflow refused a {} progress report: {}",
          jobId,
          phase,
          refused.toString());
    } catch (RuntimeException e) {
      // Progress is informational: a workflow that cannot take the report must not fail the work.
      if (reportFailureLogged.compareAndSet(false, true)) {
        log.warn(
            "job {}: could not report {} progress to the workflow (said once per phase): {}",
            jobId,
            phase,
            e.toString());
      }
    }
  }
}
