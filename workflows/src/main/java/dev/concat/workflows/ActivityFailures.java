package dev.concat.workflows;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;

/** What an activity's failure means for its job: its words, whether a rerun can help, its end. */
final class ActivityFailures {
  private ActivityFailures() {}

  /** The failure in words: the activity's own message, or which timeout fired. */
  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String what = failure.getActivityType() + " failed";
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      return what
          + ": "
          + timeout.getTimeoutType().name().toLowerCase().replace("timeout_type_", "")
          + " timeout (worker lost or stuck)";
    }
    return cause == null ? what : what + ": " + cause.getMessage();
  }

  /** Whether the activity stopped heartbeating: its worker was killed, cut off or hung. */
  static boolean wentSilent(ActivityFailure failure) {
    return failure.getCause() instanceof TimeoutFailure timeout
        && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
  }

  /** Whether the failure is the request's own (bad input): no rerun of the job can help. */
  static boolean isBadInput(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app
        && List.of(FailureType.nonRetryableTypes()).contains(app.getType());
  }

  /**
   * The job's end: it keeps the type of the activity's failure, whatever it is, and is final even
   * when that type is retryable, since the attempts are used up.
   */
  static ApplicationFailure jobFailure(String jobId, ActivityFailure failure) {
    String type =
        failure.getCause() instanceof ApplicationFailure app
            ? app.getType()
            : FailureType.JOB_FAILED.type();
    String message = describe(failure);
    if (!message.contains(jobId)) {
      message = FailureSubject.job(jobId).describe(message);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type, failure);
  }
}
