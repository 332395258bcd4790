package dev.concat.app.it;

import dev.concat.contract.ChunkEncoded;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's runs of chunk encodes as Temporal recorded them: which worker completed each, on which
 * attempt, and what it reported. Read from the history and the pending activities, so the test
 * relies on the server's record rather than on the workers' logs.
 */
final class ChunkHistory {
  static final String ENCODE_CHUNKS = "EncodeChunks";

  /**
   * @param activityId the activity's id, as its pending attempt showed it
   * @param identity the worker that completed it, as the server recorded the completion
   * @param attempt the attempt that completed it, from 1
   * @param result what the activity returned
   */
  record Completed(String activityId, String identity, int attempt, ChunkEncoded result) {}

  private ChunkHistory() {}

  /** Every EncodeChunks the job completed, in the order the server recorded them. */
  static List<Completed> completed(WorkflowClient client, String jobId) {
    DataConverter converter = client.getOptions().getDataConverter();
    Map<Long, Integer> attempts = new HashMap<>();
    Map<Long, String> encodes = new HashMap<>();
    List<Completed> completed = new ArrayList<>();
    for (HistoryEvent event : client.fetchHistory(jobId).getEvents()) {
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          if (ENCODE_CHUNKS.equals(
              event.getActivityTaskScheduledEventAttributes().getActivityType().getName())) {
            encodes.put(
                event.getEventId(),
                event.getActivityTaskScheduledEventAttributes().getActivityId());
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            attempts.put(
                event.getEventId(), event.getActivityTaskStartedEventAttributes().getAttempt());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var done = event.getActivityTaskCompletedEventAttributes();
          if (encodes.containsKey(done.getScheduledEventId())) {
            completed.add(
                new Completed(
                    encodes.get(done.getScheduledEventId()),
                    done.getIdentity(),
                    attempts.getOrDefault(done.getStartedEventId(), 0),
                    converter.fromPayloads(
                        0, Optional.of(done.getResult()), ChunkEncoded.class, ChunkEncoded.class)));
          }
        }
        default -> {}
      }
    }
    return completed;
  }

  /** The EncodeChunks attempts running now, each with the worker that took it. */
  static List<PendingActivityInfo> running(WorkflowClient client, String jobId) {
    return client
        .newUntypedWorkflowStub(jobId)
        .describe()
        .getRawDescription()
        .getPendingActivitiesList()
        .stream()
        .filter(a -> ENCODE_CHUNKS.equals(a.getActivityType().getName()))
        .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
        .toList();
  }
}
