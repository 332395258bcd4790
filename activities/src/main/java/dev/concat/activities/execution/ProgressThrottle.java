package dev.concat.activities.execution;

import java.time.Duration;

/**
 * Decides when a phase's progress is worth a signal to the workflow: at most once per interval, and
 * only after at least 5% of the total was done since the last report. A signal is a workflow
 * history event, so a 1,000-segment job must not send one per segment.
 */
public final class ProgressThrottle {
  private static final double MIN_STEP_FRACTION = 0.05;

  private final long intervalNanos;
  private final long minStep;
  private boolean reported;
  private long lastReportNanos;
  private long lastReportedDone;

  public ProgressThrottle(Duration interval, long total) {
    this.intervalNanos = interval.toNanos();
    this.minStep = Math.max(1, (long) Math.ceil(total * MIN_STEP_FRACTION));
  }

  /**
   * Returns true, and remembers the report, when {@code done} at {@code nowNanos} should be
   * reported.
   */
  public boolean shouldReport(long done, long nowNanos) {
    if (done - lastReportedDone < minStep) {
      return false;
    }
    if (reported && nowNanos - lastReportNanos < intervalNanos) {
      return false;
    }
    reported = true;
    lastReportNanos = nowNanos;
    lastReportedDone = done;
    return true;
  }
}
