package dev.concat.workflows;

import com.uber.m3.tally.Scope;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.JobState;
import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What operators see of a job without querying it: search attributes for the Web UI and {@code
 * temporal workflow list --query}, a memo with the job at a glance, and the count of finished jobs
 * by outcome in the worker's metrics. The search attributes change with the job's state only, never
 * with progress, so they cost a handful of history events per job however many segments it has.
 */
final class JobVisibility {
  /** The job's {@link JobState}, e.g. {@code ConcatState = 'CONCATENATING'}. */
  static final SearchAttributeKey<String> STATE = SearchAttributeKey.forKeyword("ConcatState");

  /** The number of segments in the request. */
  static final SearchAttributeKey<Long> SEGMENTS = SearchAttributeKey.forLong("ConcatSegments");

  /**
   * Version 1 publishes search attributes and a memo. Jobs started before it replay without them,
   * since each publication is a command in the history.
   */
  private static final String CHANGE_ID = "job-visibility";

  private final boolean published;
  private final boolean indexed;
  private JobState shownState;

  private JobVisibility(boolean published, boolean indexed) {
    this.published = published;
    this.indexed = indexed;
  }

  /**
   * Decides, once per job and recorded in its history, whether the namespace has the search
   * attributes: upserting one it lacks would fail every workflow task of the job, so a worker on
   * such a namespace runs jobs without them (and says so in its own log).
   */
  static JobVisibility start(BooleanSupplier searchAttributesRegistered) {
    boolean published = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
    boolean indexed =
        published && Workflow.sideEffect(Boolean.class, searchAttributesRegistered::getAsBoolean);
    return new JobVisibility(published, indexed);
  }

  /** The state and segment count, and a memo naming the segments and the output. */
  void announce(JobState state, int segments, String output) {
    if (!published) {
      return;
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("segments", segments);
    memo.put("output", output == null ? "" : output);
    Workflow.upsertMemo(memo);
    if (indexed) {
      Workflow.upsertTypedSearchAttributes(
          STATE.valueSet(state.name()), SEGMENTS.valueSet((long) segments));
      shownState = state;
    }
  }

  /** Publishes a state change; repeated states (a rerun re-entering DOWNLOADING) add nothing. */
  void stateChanged(JobState state) {
    if (!indexed || state == shownState) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(STATE.valueSet(state.name()));
    shownState = state;
  }

  /**
   * Counts the job in {@code concat_jobs_finished{outcome=...}}. The SDK's workflow scope drops
   * what a replay records, so each job is counted once, by the worker that ends it.
   */
  void countOutcome(JobState outcome) {
    Scope scope =
        Workflow.getMetricsScope().tagged(Map.of("outcome", outcome.name().toLowerCase()));
    scope.counter("concat_jobs_finished").inc(1);
  }

  /** Adds the finished file's duration and size to the memo. */
  void completed(ConcatResult result) {
    if (!published) {
      return;
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("durationSeconds", result.durationSeconds());
    memo.put("sizeBytes", result.sizeBytes());
    Workflow.upsertMemo(memo);
  }
}
