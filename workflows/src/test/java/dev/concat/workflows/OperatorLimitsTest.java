package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.policy.OperatorPolicy;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request reaching outside the worker's policy fails at once, before any host is claimed or any
 * object read; the policy is asked once per job and kept in its history.
 */
class OperatorLimitsTest {
  private static final String QUEUE = "concat";
  private static final OperatorPolicy POLICY =
      new OperatorPolicy(
          "s3://episodes/shows/", "s3://finished/", 100, 1L << 30, 3600, 7200, 60, 5);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final AtomicInteger policyAsked = new AtomicInteger();
  private final ScriptedJobActivities host = new ScriptedJobActivities("hostA");
  private final AtomicInteger claims = new AtomicInteger();

  @BeforeEach
  void setUp() {
    ScriptedJobActivities.CALLS.clear();
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    Worker shared = env.newWorker(QUEUE);
    shared.registerWorkflowImplementationFactory(
        ConcatWorkflow.class,
        () ->
            new ConcatWorkflowImpl(
                () -> false,
                () -> {
                  policyAsked.incrementAndGet();
                  return POLICY;
                }));
    RotatingHostActivities claim = new RotatingHostActivities(List.of("hostA"));
    shared.registerActivitiesImplementations(
        (dev.concat.contract.HostActivities)
            jobId -> {
              claims.incrementAndGet();
              return claim.claimHost(jobId);
            });
    env.newWorker("hostA").registerActivitiesImplementations(host);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void aSegmentInAnotherBucketFailsBeforeAnyActivity() {
    ApplicationFailure failure =
        fails(
            "steal",
            ConcatRequest.builder("steal")
                .segments(List.of("s3://episodes/shows/a.mp3", "s3://victim/private/payroll.mp3"))
                .output("s3://finished/steal.mp3")
                .build());

    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), failure.getType());
    assertEquals(
        "job steal: segment 1 s3://victim/private/payroll.mp3 is outside the allowed locations "
            + "(CONCAT_ALLOWED_INPUTS (--allowed-inputs) = s3://episodes/shows/)",
        failure.getOriginalMessage());
    assertEquals(0, claims.get(), "no host claimed");
    assertEquals(List.of(), ScriptedJobActivities.CALLS);
    assertEquals(
        JobState.FAILED, client.newWorkflowStub(ConcatWorkflow.class, "steal").status().state());
  }

  @Test
  void anOutputOverAnotherShowsEpisodeFails() {
    ApplicationFailure failure =
        fails(
            "overwrite",
            ConcatRequest.builder("overwrite")
                .segments(List.of("s3://episodes/shows/a.mp3"))
                .output("s3://episodes/shows/published-episode.mp3")
                .build());

    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), failure.getType());
    assertTrue(
        failure
            .getOriginalMessage()
            .contains(
                "output s3://episodes/shows/published-episode.mp3 is outside the "
                    + "allowed locations (CONCAT_ALLOWED_OUTPUTS (--allowed-outputs) = s3://finished/)"),
        failure.getMessage());
  }

  @Test
  void unboundedTimeoutsAndTooManySegmentsFailNamingEachCeiling() {
    JobTimeouts greedy =
        new JobTimeouts(10L * 365 * 24 * 3600, 86_400L, null, null, null, null, Integer.MAX_VALUE);
    List<String> segments =
        java.util.stream.IntStream.range(0, 101)
            .mapToObj(i -> "s3://episodes/shows/" + i + ".mp3")
            .toList();

    ApplicationFailure failure =
        fails(
            "greedy",
            ConcatRequest.builder("greedy")
                .segments(segments)
                .output("s3://finished/g.mp3")
                .timeouts(greedy)
                .build());

    assertEquals(FailureType.LIMIT_EXCEEDED.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    String message = failure.getOriginalMessage();
    assertTrue(
        message.contains("101 segments is more than the limit of 100 set by CONCAT_MAX_SEGMENTS"),
        message);
    assertTrue(
        message.contains(
            "timeouts.maxProcessingSeconds 315360000 is more than the limit of 7200 set by "
                + "CONCAT_MAX_PROCESSING_SECONDS"),
        message);
    assertTrue(message.contains("and 1 more"), message);
    assertEquals(0, claims.get());
  }

  @Test
  void aJobInsideThePolicyRunsAndThePolicyIsInItsHistoryOnce() {
    ConcatRequest request =
        ConcatRequest.builder("fine")
            .segments(List.of("s3://episodes/shows/a.mp3", "s3://episodes/shows/b.mp3"))
            .output("s3://finished/fine.mp3")
            .timeouts(new JobTimeouts(3600L, 30L, null, null, null, null, 5))
            .build();
    ConcatWorkflow job =
        client.newWorkflowStub(
            ConcatWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("fine").setTaskQueue(QUEUE).build());
    WorkflowClient.start(job::concat, request);

    ConcatResult result = WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals("s3://finished/fine.mp3", result.output());
    long markers =
        client.fetchHistory("fine").getHistory().getEventsList().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
            .filter(e -> e.getMarkerRecordedEventAttributes().getMarkerName().equals("SideEffect"))
            .count();
    // One side effect for the search attributes' presence, one for the policy.
    assertEquals(2, markers);
    assertEquals(
        List.of("hostA:download", "hostA:concat", "hostA:upload"), ScriptedJobActivities.CALLS);
  }

  @Test
  void thePolicyReadsBackFromHistoryAsItWasRecorded() {
    // A replay takes the side effect's value from the history's payload, not from the worker.
    var converter = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;
    var payload = converter.toPayload(POLICY).orElseThrow();

    assertEquals(
        POLICY, converter.fromPayload(payload, OperatorPolicy.class, OperatorPolicy.class));
  }

  private ApplicationFailure fails(String id, ConcatRequest request) {
    ConcatWorkflow job =
        client.newWorkflowStub(
            ConcatWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    var failed = assertThrows(WorkflowFailedException.class, () -> job.concat(request));
    return assertInstanceOf(ApplicationFailure.class, failed.getCause());
  }
}
