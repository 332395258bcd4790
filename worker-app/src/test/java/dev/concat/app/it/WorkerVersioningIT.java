package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.temporal.ChunkQueuePollers;
import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.JobState;
import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionVersioningInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkerDeploymentVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker Versioning on the real dev server: a job started on build 1 finishes on build 1 after
 * build 2 became the current version, while a job started then runs on build 2 only.
 */
@Timeout(240)
class WorkerVersioningIT {
  private static final String DEPLOYMENT = "concat-it";

  /** A new version is known to the server once its worker has polled; that takes a moment. */
  private static final Duration VERSION_REGISTERED_LIMIT = Duration.ofSeconds(30);

  /** A spread join's run, and a join of two. */
  private static final Duration RUN = Duration.ofMinutes(20);

  private static final double TWO_RUNS = 2.0 * RUN.toSeconds();

  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path temp;

  @Test
  void aRunningJobStaysOnItsBuildWhileNewJobsGoToTheNewOne() throws Exception {
    AudioSet audio = AudioSet.sines(8, 4.0);
    Map<String, String> build1 = new HashMap<>(stack.slowFfmpeg());
    build1.putAll(
        Map.of("TEMPORAL_DEPLOYMENT_NAME", DEPLOYMENT, "TEMPORAL_WORKER_BUILD_ID", "build-1"));
    WorkerJvm worker1 = stack.startWorker("build-1", build1);
    setCurrentVersion("build-1");

    String oldJob = "versioned-old";
    stack
        .jobs()
        .start(
            ConcatRequest.builder(oldJob)
                .segments(audio.upload(stack.s3(), oldJob))
                .output(S3Fixture.uri("out/old.mp3"))
                .build());
    // At playing speed the join takes ~32 s: the deploy below happens in the middle of it.
    stack
        .jobs()
        .awaitStatus(
            oldJob,
            "concatenating",
            s -> s.state() == JobState.CONCATENATING,
            Duration.ofSeconds(60));

    WorkerJvm worker2 =
        stack.startWorker(
            "build-2",
            Map.of("TEMPORAL_DEPLOYMENT_NAME", DEPLOYMENT, "TEMPORAL_WORKER_BUILD_ID", "build-2"));
    setCurrentVersion("build-2");
    String newJob = "versioned-new";
    assertEquals(
        JobState.CONCATENATING,
        stack.jobs().status(oldJob).state(),
        "the old job joins across the deploy");
    stack
        .jobs()
        .start(
            ConcatRequest.builder(newJob)
                .segments(audio.upload(stack.s3(), newJob))
                .output(S3Fixture.uri("out/new.mp3"))
                .build());
    stack.jobs().awaitResult(newJob, Duration.ofSeconds(90));
    stack.jobs().awaitResult(oldJob, Duration.ofSeconds(90));

    assertPinnedTo(oldJob, "build-1");
    assertPinnedTo(newJob, "build-2");
    assertEquals(
        Set.of(worker1.identity()),
        workersThatRan(oldJob),
        "every task of the old job ran on build 1");
    assertEquals(
        Set.of(worker2.identity()),
        workersThatRan(newJob),
        "every task of the new job ran on build 2");

    // Who else would encode a pinned job's chunks, as a host asks before it spreads them: only a
    // worker of its own build.
    assertTrue(
        chunkFleet("a-third-worker", "build-1").helpsWith(newJob, TWO_RUNS),
        "a build-1 host sees build 1's worker poll the chunk queue");
    assertFalse(
        chunkFleet(worker1.identity(), "build-1").helpsWith(newJob, TWO_RUNS),
        "build 1's worker is the only one of its build, and does not count itself");
    assertFalse(
        chunkFleet(worker2.identity(), "build-2").helpsWith(newJob, TWO_RUNS),
        "nor does build 2's, whose only other poller is of build 1");
    assertFalse(
        chunkFleet("a-third-worker", "build-1").helpsWith(newJob, RUN.toSeconds()),
        "a join of one run is encoded on its host, whoever polls");
    assertFalse(
        chunkFleet("a-third-worker", "build-1", 2).helpsWith(newJob, TWO_RUNS),
        "a join of two runs is encoded on a host of two cores, whoever polls");
  }

  /** As a host of one core asks. */
  private static ChunkQueuePollers chunkFleet(String identity, String buildId) {
    return chunkFleet(identity, buildId, 1);
  }

  private static ChunkQueuePollers chunkFleet(String identity, String buildId, int hostCores) {
    return new ChunkQueuePollers(
        client().getWorkflowServiceStubs(),
        TemporalDevServer.NAMESPACE,
        stack.environment().taskQueue() + ChunkActivities.QUEUE_SUFFIX,
        identity,
        Optional.of(new WorkerDeploymentVersion(DEPLOYMENT, buildId)),
        RUN,
        hostCores,
        Clock.systemUTC());
  }

  /**
   * `temporal worker deployment set-current-version`, as the README's deploy procedure runs it,
   * once the server knows the version (its worker has polled).
   */
  private void setCurrentVersion(String buildId) throws Exception {
    TemporalCli cli =
        new TemporalCli(stack.temporal().address(), TemporalDevServer.NAMESPACE, temp);
    long deadline = System.nanoTime() + VERSION_REGISTERED_LIMIT.toNanos();
    while (true) {
      // The host queue of build 1's worker, busy with the old job, is not in build 2: see the
      // README.
      CliProcess set =
          cli.run(
              "worker",
              "deployment",
              "set-current-version",
              "--deployment-name",
              DEPLOYMENT,
              "--build-id",
              buildId,
              "--ignore-missing-task-queues",
              "--yes");
      if (set.exitCode() == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not make " + buildId + " current:\n" + set.transcript());
      }
      System.out.println(
          "WorkerVersioningIT: " + buildId + " not current yet: " + set.err().strip());
      Thread.sleep(500);
    }
  }

  private static void assertPinnedTo(String jobId, String buildId) {
    WorkflowExecutionVersioningInfo info =
        client()
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(TemporalDevServer.NAMESPACE)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                    .build())
            .getWorkflowExecutionInfo()
            .getVersioningInfo();
    assertEquals(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED, info.getBehavior(), info::toString);
    assertEquals(DEPLOYMENT, info.getDeploymentVersion().getDeploymentName(), info::toString);
    assertEquals(buildId, info.getDeploymentVersion().getBuildId(), info::toString);
  }

  /**
   * The identities of the workers that completed the job's workflow tasks and ran its activities.
   */
  private static Set<String> workersThatRan(String jobId) {
    return client().fetchHistory(jobId).getHistory().getEventsList().stream()
        .map(WorkerVersioningIT::identity)
        .filter(identity -> !identity.isEmpty())
        .collect(Collectors.toSet());
  }

  private static String identity(HistoryEvent event) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_TASK_COMPLETED ->
          event.getWorkflowTaskCompletedEventAttributes().getIdentity();
      case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
          event.getActivityTaskStartedEventAttributes().getIdentity();
      default -> "";
    };
  }

  private static WorkflowClient client() {
    return stack.temporal().client();
  }
}
