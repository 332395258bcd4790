package dev.concat.app.jobs;

import io.temporal.failure.TemporalFailure;

/** Turns Temporal's nested failures into the one sentence a person needs. */
final class FailureMessages {
  private FailureMessages() {}

  /**
   * The innermost failure's own message; outer layers only say "activity failed" or "workflow
   * failed".
   */
  static String rootMessage(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      deepest = t;
    }
    if (deepest instanceof TemporalFailure temporal
        && temporal.getOriginalMessage() != null
        && !temporal.getOriginalMessage().isEmpty()) {
      return temporal.getOriginalMessage();
    }
    return deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
  }
}
