package dev.concat.app.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.concat.activities.storage.IndexRanges;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.SearchAttributeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A running job's status pieced together from what the Temporal server records, for when no worker
 * answers the status query: the state from the ConcatState search attribute or the pending
 * activity, that activity's attempt, worker, last heartbeat and last failure, and the reason the
 * job's own answer is missing (e.g. no worker has picked it up for 3 min).
 */
final class ServerView {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("ConcatState");

  private ServerView() {}

  static ConcatStatus of(String jobId, WorkflowExecutionDescription execution, Instant now) {
    DescribeWorkflowExecutionResponse raw = execution.getRawDescription();
    PendingActivityInfo activity =
        raw.getPendingActivitiesCount() > 0 ? raw.getPendingActivities(0) : null;
    JobState state = state(execution, activity);
    int total = memoInt(raw, "segments");
    int downloaded = 0;
    int concatenated = 0;
    long uploaded = 0;
    String lastProgress = instant(execution.getStartTime());
    String worker = null;
    String lastError = null;
    int attempt = 0;
    if (activity != null) {
      attempt = activity.getAttempt();
      worker = activity.getLastWorkerIdentity().isEmpty() ? null : activity.getLastWorkerIdentity();
      if (activity.hasLastFailure()) {
        lastError = activity.getLastFailure().getMessage();
      }
      if (activity.hasLastHeartbeatTime()) {
        lastProgress = instant(activity.getLastHeartbeatTime());
      }
      JsonNode beat = heartbeat(activity);
      switch (state) {
        case DOWNLOADING ->
            downloaded = IndexRanges.parse(beat.path("completed").asText("")).cardinality();
        case CONCATENATING -> {
          downloaded = total;
          concatenated =
              "join".equals(beat.path("step").asText()) ? beat.path("segment").asInt() : 0;
        }
        case UPLOADING -> {
          downloaded = total;
          concatenated = total;
          uploaded = beat.asLong(0);
        }
        default -> {}
      }
    }
    return new ConcatStatus(
        jobId,
        state,
        total,
        downloaded,
        concatenated,
        uploaded,
        instant(execution.getStartTime()),
        lastProgress,
        attempt,
        worker,
        lastError,
        null,
        null,
        ConcatStatus.SERVER_VIEW,
        reason(raw, activity, now));
  }

  private static JobState state(
      WorkflowExecutionDescription execution, PendingActivityInfo activity) {
    if (activity != null) {
      switch (activity.getActivityType().getName()) {
        case "Download" -> {
          return JobState.DOWNLOADING;
        }
        case "Concat" -> {
          return JobState.CONCATENATING;
        }
        case "Upload" -> {
          return JobState.UPLOADING;
        }
        default -> {}
      }
    }
    try {
      String indexed = execution.getTypedSearchAttributes().get(STATE);
      return indexed == null ? JobState.PENDING : JobState.valueOf(indexed);
    } catch (IllegalArgumentException notOurs) {
      return JobState.PENDING;
    }
  }

  /** Why the job's own answer is missing, in the words an operator acts on. */
  private static String reason(
      DescribeWorkflowExecutionResponse raw, PendingActivityInfo activity, Instant now) {
    if (activity != null
        && activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED) {
      return "no worker has picked up the "
          + activity.getActivityType().getName()
          + " step for "
          + since(activity.getScheduledTime(), now);
    }
    if (raw.hasPendingWorkflowTask() && raw.getPendingWorkflowTask().hasScheduledTime()) {
      return "no worker has picked this job up for "
          + since(raw.getPendingWorkflowTask().getScheduledTime(), now);
    }
    return "no worker answered the status query in time; the server's record of the job is shown";
  }

  private static JsonNode heartbeat(PendingActivityInfo activity) {
    if (!activity.hasHeartbeatDetails() || activity.getHeartbeatDetails().getPayloadsCount() == 0) {
      return JSON.missingNode();
    }
    Payload payload = activity.getHeartbeatDetails().getPayloads(0);
    try {
      return JSON.readTree(payload.getData().toString(StandardCharsets.UTF_8));
    } catch (IOException notJson) {
      return JSON.missingNode();
    }
  }

  private static int memoInt(DescribeWorkflowExecutionResponse raw, String field) {
    Payload payload = raw.getWorkflowExecutionInfo().getMemo().getFieldsMap().get(field);
    if (payload == null) {
      return 0;
    }
    try {
      return JSON.readTree(payload.getData().toString(StandardCharsets.UTF_8)).asInt(0);
    } catch (IOException notJson) {
      return 0;
    }
  }

  private static String since(Timestamp time, Instant now) {
    Duration waited =
        Duration.between(Instant.ofEpochSecond(time.getSeconds(), time.getNanos()), now);
    if (waited.toMinutes() >= 1) {
      return waited.toMinutes() + " min";
    }
    return Math.max(0, waited.toSeconds()) + " s";
  }

  private static String instant(Timestamp time) {
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).toString();
  }

  private static String instant(Instant time) {
    return time == null ? null : time.toString();
  }
}
