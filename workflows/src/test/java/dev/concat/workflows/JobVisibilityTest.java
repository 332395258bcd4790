package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.concat.contract.ConcatOutput;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a job publishes for operators: search attributes on state changes only, and its memo. */
class JobVisibilityTest {
  private static final String QUEUE = "concat";
  private final ScriptedJobActivities host = new ScriptedJobActivities("hostA");
  private TestWorkflowEnvironment env;

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void aJobShowsItsStateWhileRunningAndItsResultWhenDone() throws InterruptedException {
    start(true);
    CountDownLatch concatenating = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    host.onConcat =
        in -> {
          concatenating.countDown();
          await(release);
          return new ConcatOutput(72.0, 4321, "reencode", 1.5);
        };
    WorkflowStub job = startJob("ep-visible", 40);

    assertEquals(true, concatenating.await(10, TimeUnit.SECONDS));
    WorkflowExecutionDescription running = job.describe();
    assertEquals("CONCATENATING", running.getTypedSearchAttributes().get(JobVisibility.STATE));
    assertEquals(40L, running.getTypedSearchAttributes().get(JobVisibility.SEGMENTS));
    assertEquals(40, running.getMemo("segments", Integer.class));
    assertEquals("s3://finished/ep-visible.mp3", running.getMemo("output", String.class));

    release.countDown();
    job.getResult(ConcatResult.class);
    WorkflowExecutionDescription done = job.describe();
    assertEquals("COMPLETED", done.getTypedSearchAttributes().get(JobVisibility.STATE));
    assertEquals(72.0, done.getMemo("durationSeconds", Double.class));
    assertEquals(4321L, done.getMemo("sizeBytes", Long.class));
    // PENDING, DOWNLOADING, CONCATENATING, UPLOADING, COMPLETED: five upserts however many
    // segments.
    assertEquals(5, countEvents(job, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES));
  }

  @Test
  void aNamespaceWithoutTheSearchAttributesStillRunsJobsWithTheirMemo() {
    start(false);
    WorkflowStub job = startJob("ep-unindexed", 3);

    ConcatResult result = job.getResult(ConcatResult.class);

    assertEquals(4321L, result.sizeBytes());
    WorkflowExecutionDescription done = job.describe();
    assertNull(done.getTypedSearchAttributes().get(JobVisibility.STATE));
    assertEquals(3, done.getMemo("segments", Integer.class));
    assertEquals(0, countEvents(job, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES));
  }

  @Test
  void searchAttributesAreNotTouchedByProgress() {
    start(true);
    WorkflowStub job = startJob("ep-quiet", 1000);
    job.getResult(ConcatResult.class);

    SearchAttributes attributes = job.describe().getTypedSearchAttributes();
    assertEquals(1000L, attributes.get(JobVisibility.SEGMENTS));
    assertFalse(countEvents(job, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) > 5);
  }

  private void start(boolean registered) {
    env = TestWorkflowEnvironment.newInstance();
    if (registered) {
      env.registerSearchAttribute(
          JobVisibility.STATE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(
          JobVisibility.SEGMENTS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_INT);
    }
    Worker shared = env.newWorker(QUEUE);
    shared.registerWorkflowImplementationFactory(
        ConcatWorkflow.class, () -> new ConcatWorkflowImpl(() -> registered));
    shared.registerActivitiesImplementations(new RotatingHostActivities(List.of("hostA")));
    env.newWorker("hostA").registerActivitiesImplementations(host);
    env.start();
  }

  private WorkflowStub startJob(String id, int segments) {
    List<String> keys = new ArrayList<>();
    IntStream.range(0, segments).forEach(i -> keys.add("s3://episodes/seg-" + i + ".mp3"));
    ConcatWorkflow job =
        env.getWorkflowClient()
            .newWorkflowStub(
                ConcatWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    WorkflowClient.start(
        job::concat,
        ConcatRequest.builder(id).segments(keys).output("s3://finished/" + id + ".mp3").build());
    return WorkflowStub.fromTyped(job);
  }

  private long countEvents(WorkflowStub job, EventType type) {
    String id = job.getExecution().getWorkflowId();
    List<HistoryEvent> events =
        env.getWorkflowClient().fetchHistory(id).getHistory().getEventsList();
    return events.stream().filter(e -> e.getEventType() == type).count();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
