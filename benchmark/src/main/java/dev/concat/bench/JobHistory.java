package dev.concat.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished job's workflow history says: how many events it took and how many of them were
 * progress signals, when its host claim succeeded (its job slot taken) and when its upload finished
 * (the slot given back).
 */
record JobHistory(int events, int signals, Instant claimed, Instant uploaded) {

  static JobHistory of(List<HistoryEvent> events) {
    Map<Long, String> activityTypes = new HashMap<>();
    Instant claimed = null;
    Instant uploaded = null;
    int signals = 0;
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
        signals++;
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        activityTypes.put(
            event.getEventId(),
            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        String type =
            activityTypes.getOrDefault(
                event.getActivityTaskCompletedEventAttributes().getScheduledEventId(), "");
        Instant at =
            Instant.ofEpochSecond(
                event.getEventTime().getSeconds(), event.getEventTime().getNanos());
        if (type.equalsIgnoreCase("ClaimHost")) {
          claimed = at;
        } else if (type.equalsIgnoreCase("Upload")) {
          uploaded = at;
        }
      }
    }
    return new JobHistory(events.size(), signals, claimed, uploaded);
  }
}
