package dev.concat.activities.execution;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Puts the workflow id, activity type and attempt into the SLF4J MDC for one activity call, so
 * every log line of a job can be found by its id; {@link #carry} does the same in pool threads.
 */
public final class ActivityLogContext implements AutoCloseable {
  public static final String WORKFLOW_ID = "workflowId";
  public static final String ACTIVITY = "activity";
  public static final String ATTEMPT = "attempt";
  public static final String SEGMENT = "segment";

  private ActivityLogContext() {}

  /** Fills the MDC from the current activity's info; close it when the activity method returns. */
  public static ActivityLogContext enter() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    MDC.put(WORKFLOW_ID, info.getWorkflowId());
    MDC.put(ACTIVITY, info.getActivityType());
    MDC.put(ATTEMPT, String.valueOf(info.getAttempt()));
    return new ActivityLogContext();
  }

  /** Wraps a task so it runs with the caller's MDC in whatever thread executes it. */
  public static <T> Callable<T> carry(Callable<T> task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      if (context != null) {
        MDC.setContextMap(context);
      }
      try {
        return task.call();
      } finally {
        MDC.clear();
      }
    };
  }

  @Override
  public void close() {
    // Activity threads are pooled by the SDK: leave nothing behind for the next activity.
    MDC.clear();
  }
}
