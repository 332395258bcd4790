package dev.concat.activities.execution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void reportsOnlyAfterFivePercentAndTheInterval() {
    var throttle = new ProgressThrottle(Duration.ofSeconds(2), 1000);

    assertFalse(throttle.shouldReport(49, 0), "4.9% is not worth a signal");
    assertTrue(throttle.shouldReport(50, 0), "the first 5% is reported at once");
    assertFalse(throttle.shouldReport(200, SECOND), "within the interval");
    assertTrue(throttle.shouldReport(200, 2 * SECOND));
    assertFalse(throttle.shouldReport(249, 10 * SECOND), "less than 5% since the last report");
    assertTrue(throttle.shouldReport(250, 10 * SECOND));
  }

  @Test
  void neverReportsPerSegmentOnLargeJobs() {
    var throttle = new ProgressThrottle(Duration.ZERO, 1000);
    int reports = 0;
    for (int done = 1; done <= 1000; done++) {
      if (throttle.shouldReport(done, done)) {
        reports++;
      }
    }
    assertTrue(reports == 20, "one report per 5%, was " + reports);
  }

  @Test
  void smallJobsReportEachStep() {
    var throttle = new ProgressThrottle(Duration.ZERO, 3);
    assertTrue(throttle.shouldReport(1, 0));
    assertTrue(throttle.shouldReport(2, 0));
    assertFalse(throttle.shouldReport(2, 1), "no advance, no report");
  }
}
