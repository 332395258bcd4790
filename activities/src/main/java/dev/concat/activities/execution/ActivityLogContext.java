package dev.concat.activities.execution;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Puts the workflow id, activity type and attempt into the SLF4J MDC for one activity call, so
 * every log line of a job can be found by its id; {@link #carry} does the same in pool threads,
 * where {@link #SEGMENT} names the segment a line is about. The keys are the ones the Temporal SDK
 * fills on a worker's activity threads (its {@code LoggerTag}s), so a line never carries the same
 * fact twice; filling them here covers the pool threads and the test environment too.
 */
public final class ActivityLogContext implements AutoCloseable {
  private static final String WORKFLOW_ID = "WorkflowId";
  private static final String ACTIVITY = "ActivityType";
  private static final String ATTEMPT = "Attempt";
  public static final String SEGMENT = "Segment";

  /** What the keys held before {@link #enter}; a null value means absent. */
  private final Map<String, String> previous;

  private ActivityLogContext(Map<String, String> previous) {
    this.previous = previous;
  }

  /** Fills the MDC from the current activity's info; close it when the activity method returns. */
  public static ActivityLogContext enter() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    Map<String, String> previous = new HashMap<>();
    for (String key : new String[] {WORKFLOW_ID, ACTIVITY, ATTEMPT}) {
      previous.put(key, MDC.get(key));
    }
    MDC.put(WORKFLOW_ID, info.getWorkflowId());
    MDC.put(ACTIVITY, info.getActivityType());
    MDC.put(ATTEMPT, String.valueOf(info.getAttempt()));
    return new ActivityLogContext(previous);
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

  /** As {@link #carry(Callable)}, for a thread's body. */
  public static Runnable carry(Runnable task) {
    Callable<Void> carried =
        carry(
            () -> {
              task.run();
              return null;
            });
    return () -> {
      try {
        carried.call();
      } catch (Exception e) {
        throw new IllegalStateException("a Runnable throws no checked exception", e);
      }
    };
  }

  /**
   * Puts back what the keys held: the SDK's values stay for its own lines after the activity
   * returns, and nothing of this activity reaches the next one on the SDK's pooled thread.
   */
  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}
