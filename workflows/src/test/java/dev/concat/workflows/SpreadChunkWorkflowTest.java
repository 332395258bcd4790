package dev.concat.workflows;

import static dev.concat.workflows.ScriptedWork.heartbeatUntilStopped;
import static dev.concat.workflows.ScriptedWork.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ChunkTask;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job whose host stages its chunks: they are encoded on any worker of the chunk queue, the host
 * assembles them, and the staging goes when the job ends, whichever way it ends.
 */
@Timeout(60)
class SpreadChunkWorkflowTest {
  private static final String QUEUE = "concat";
  private static final String PREFIX = "s3://finished/.concat-staging/ep/";
  private static final int CHUNKS = 6;
  private static final JobTimeouts FAST = new JobTimeouts(600L, 2L, 60L, 60L, 60L, 5L, 3);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final List<WorkerFactory> chunkFactories = new ArrayList<>();
  private final ScriptedJobActivities hostA = new ScriptedJobActivities("hostA");
  private final ScriptedJobActivities hostB = new ScriptedJobActivities("hostB");
  private final ScriptedChunkActivities workerX = new ScriptedChunkActivities("workerX");
  private final ScriptedChunkActivities workerY = new ScriptedChunkActivities("workerY");

  @BeforeEach
  void setUp() {
    ScriptedJobActivities.CALLS.clear();
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    Worker shared = env.newWorker(QUEUE);
    shared.registerWorkflowImplementationTypes(ConcatWorkflowImpl.class);
    shared.registerActivitiesImplementations(new RotatingHostActivities(List.of("hostA", "hostB")));
    env.newWorker("hostA").registerActivitiesImplementations(hostA);
    env.newWorker("hostB").registerActivitiesImplementations(hostB);
    // Two workers with one encoder each, as two machines' chunk pollers.
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      WorkerFactory factory = WorkerFactory.newInstance(client);
      factory
          .newWorker(
              QUEUE + ChunkActivities.QUEUE_SUFFIX,
              WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1).build())
          .registerActivitiesImplementations(worker);
      chunkFactories.add(factory);
    }
    for (ScriptedJobActivities host : List.of(hostA, hostB)) {
      host.onConcat =
          in -> {
            assertTrue(in.stagesChunks(), "the workflow asks the host to stage its chunks");
            return ConcatOutput.staged(staged(), 1.0);
          };
    }
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      worker.onEncode = task -> encodedAfter(task, Duration.ofMillis(300));
    }
  }

  @AfterEach
  void tearDown() {
    chunkFactories.forEach(WorkerFactory::shutdownNow);
    env.close();
  }

  @Test
  void everyChunkIsEncodedOnceAcrossTheWorkersThenAssembledOnTheHost() {
    ConcatWorkflow job = start("ep");

    ConcatResult result = WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals(6.0, result.durationSeconds(), "the assembled join is the job's result");
    // The staging's second, then three runs of 300 ms on two workers: not the assembly's alone.
    assertTrue(result.concatSeconds() >= 1.0 + 0.6, "concat phase: " + result.concatSeconds());
    List<String> calls = ScriptedJobActivities.CALLS;
    for (int chunk = 0; chunk < CHUNKS; chunk++) {
      assertEquals(1, encodes(chunk), "chunk " + chunk + " encoded once: " + calls);
    }
    assertTrue(calls.stream().anyMatch(c -> c.startsWith("workerX:encodeChunk")), calls::toString);
    assertTrue(calls.stream().anyMatch(c -> c.startsWith("workerY:encodeChunk")), calls::toString);
    int assembled = calls.indexOf("hostA:assemble");
    assertTrue(
        assembled > calls.indexOf("hostA:concat") && assembled < calls.indexOf("hostA:upload"),
        calls::toString);
    assertEquals(1, calls.stream().filter(deleted()::equals).count(), calls::toString);
    assertTrue(deletedAfter("hostA:upload"), "the staging goes once the output is up: " + calls);
    ConcatStatus status = job.status();
    assertEquals(JobState.COMPLETED, status.state());
    assertEquals(3, status.segmentsConcatenated());
  }

  @Test
  void aChunkThatFailsIsRetriedOnAnyWorkerWithoutRunningTheHostSequenceAgain() {
    AtomicInteger tries = new AtomicInteger();
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      worker.onEncode =
          task -> {
            if (task.chunks().get(0).index() == 2 && tries.getAndIncrement() == 0) {
              throw ApplicationFailure.newFailure(
                  "FFmpeg failed encoding chunk 2", FailureType.FFMPEG_FAILED.type());
            }
            return encodedAfter(task, Duration.ofMillis(100));
          };
    }

    WorkflowStub.fromTyped(start("ep")).getResult(ConcatResult.class);

    assertEquals(2, encodes(2), ScriptedJobActivities.CALLS::toString);
    assertEquals(
        1,
        ScriptedJobActivities.CALLS.stream().filter(c -> c.endsWith(":download")).count(),
        "a chunk's retry stays a chunk's: " + ScriptedJobActivities.CALLS);
  }

  @Test
  void aChunkThatFailsForGoodStopsTheOthersFailsTheJobAndCleansUp() {
    AtomicBoolean otherStopped = new AtomicBoolean();
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      worker.onEncode =
          task -> {
            if (task.chunks().get(0).index() == 2) {
              sleep(Duration.ofMillis(500));
              throw ApplicationFailure.newNonRetryableFailure(
                  "chunk 2's staged input is not a WAV", FailureType.INVALID_SEGMENT.type());
            }
            return heartbeatUntilStopped(otherStopped);
          };
    }

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(start("ep")).getResult(ConcatResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.INVALID_SEGMENT.type(), cause.getType());
    assertTrue(otherStopped.get(), "the chunk still running was told to stop");
    List<String> calls = ScriptedJobActivities.CALLS;
    assertTrue(calls.contains("hostA:cleanup"), calls::toString);
    assertEquals(1, calls.stream().filter(deleted()::equals).count(), calls::toString);
    assertTrue(
        !calls.contains("hostA:assemble") && !calls.contains("hostA:upload"), calls::toString);
  }

  @Test
  void cancellingTheJobStopsItsChunksAndDeletesTheStaging() {
    AtomicBoolean stopped = new AtomicBoolean();
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      worker.onEncode = task -> heartbeatUntilStopped(stopped);
    }
    ConcatWorkflow job = start("ep");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (encodes(0) + encodes(1) == 0 && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(50));
    }

    WorkflowStub.fromTyped(job).cancel();

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));
    assertInstanceOf(CanceledFailure.class, failed.getCause());
    assertTrue(stopped.get(), "a running chunk learned of the cancellation");
    assertEquals(JobState.CANCELLED, job.status().state());
    List<String> calls = ScriptedJobActivities.CALLS;
    assertEquals(1, calls.stream().filter(deleted()::equals).count(), calls::toString);
    assertTrue(calls.contains("hostA:cleanup"), calls::toString);
  }

  @Test
  void aHostLostAfterStagingLeavesTheStagingToTheRunOnTheNextHost() {
    hostA.onAssemble =
        (in, staged) -> {
          throw ApplicationFailure.newFailure(
              "the joined file is not on this host", FailureType.WORK_DIR_LOST.type());
        };
    AtomicInteger encoded = new AtomicInteger();
    for (ScriptedChunkActivities worker : List.of(workerX, workerY)) {
      worker.onEncode =
          task -> {
            int reused =
                encoded.getAndAdd(task.chunks().size()) >= CHUNKS ? task.chunks().size() : 0;
            return new ChunkEncoded(task.chunks().size(), reused, 1000, 0.1, "w");
          };
    }

    WorkflowStub.fromTyped(start("ep")).getResult(ConcatResult.class);

    List<String> calls = ScriptedJobActivities.CALLS;
    assertTrue(calls.contains("hostB:assemble") && calls.contains("hostB:upload"), calls::toString);
    assertEquals(1, calls.stream().filter(deleted()::equals).count(), calls::toString);
    assertTrue(deletedAfter("hostB:upload"), "the rerun found the staging: " + calls);
  }

  private ConcatWorkflow start(String id) {
    env.start();
    chunkFactories.forEach(WorkerFactory::start);
    ConcatWorkflow job =
        client.newWorkflowStub(
            ConcatWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    List<String> keys = new ArrayList<>();
    IntStream.range(0, 3).forEach(i -> keys.add("s3://episodes/seg-" + i + ".mp3"));
    WorkflowClient.start(
        job::concat,
        ConcatRequest.builder(id)
            .segments(keys)
            .output("s3://finished/" + id + ".mp3")
            .timeouts(FAST)
            .build());
    return job;
  }

  /** Six chunks of 10 minutes: three runs of two. */
  private static StagedChunks staged() {
    long frames = 10 * 60 * 44_100 / 1152;
    List<StagedChunk> chunks =
        IntStream.range(0, CHUNKS)
            .mapToObj(
                i ->
                    new StagedChunk(
                        i,
                        "in-" + i + ".wav",
                        "out-" + i + ".mp3",
                        i * frames,
                        (i + 1) * frames,
                        (frames + 4) * 1152,
                        i == 0 ? 0 : 2,
                        i == CHUNKS - 1))
            .toList();
    return new StagedChunks(PREFIX, 44_100, 128, true, chunks, 20 * 60);
  }

  private static long encodes(int chunk) {
    return ScriptedJobActivities.CALLS.stream()
        .filter(c -> c.endsWith(":encodeChunk:" + chunk))
        .count();
  }

  private static String deleted() {
    return ScriptedJobActivities.CALLS.stream()
        .filter(c -> c.contains(":deleteStaged:"))
        .findFirst()
        .orElse("(no deleteStaged call)");
  }

  private static boolean deletedAfter(String call) {
    List<String> calls = ScriptedJobActivities.CALLS;
    int at = calls.indexOf(deleted());
    return at >= 0 && at > calls.indexOf(call) && deleted().endsWith(":deleteStaged:" + PREFIX);
  }

  private static ChunkEncoded encodedAfter(ChunkTask task, Duration work) {
    sleep(work);
    return new ChunkEncoded(task.chunks().size(), 0, 1000, work.toMillis() / 1000.0, "scripted");
  }
}
