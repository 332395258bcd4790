package dev.concat.workflows;

import static dev.concat.workflows.ScriptedWork.heartbeatUntilStopped;
import static dev.concat.workflows.ScriptedWork.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.DownloadCheckpoint;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.ProgressUpdate;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ConcatWorkflow's logic on the time-skipping test server, with scripted host activities. */
class ConcatWorkflowTest {
  private static final String QUEUE = "concat";

  /** Short timeouts so that the fault tests finish in seconds. */
  private static final JobTimeouts FAST = new JobTimeouts(600L, 2L, 60L, 60L, 60L, 2L, 3);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WorkerFactory hostAFactory;
  private final ScriptedJobActivities hostA = new ScriptedJobActivities("hostA");
  private final ScriptedJobActivities hostB = new ScriptedJobActivities("hostB");

  @BeforeEach
  void setUp() {
    ScriptedJobActivities.CALLS.clear();
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    Worker shared = env.newWorker(QUEUE);
    shared.registerWorkflowImplementationTypes(ConcatWorkflowImpl.class);
    shared.registerActivitiesImplementations(new RotatingHostActivities(List.of("hostA", "hostB")));
    env.newWorker("hostB").registerActivitiesImplementations(hostB);
    // hostA lives in a factory of its own so that a test can make the host disappear.
    hostAFactory = WorkerFactory.newInstance(client);
    hostAFactory.newWorker("hostA").registerActivitiesImplementations(hostA);
  }

  @AfterEach
  void tearDown() {
    hostAFactory.shutdownNow();
    env.close();
  }

  @Test
  void happyPathRunsEveryPhaseOnOneHostAndReportsTheResult() {
    hostA.onDownload =
        in -> {
          report(
              in.jobId(),
              new ProgressUpdate("download", 2, 3, "100@hostA", 1, 1_000, in.progressToken()));
          return new DownloadResult(3, 3000, 0.5);
        };
    ConcatWorkflow job = start("ep-1", request("ep-1", 3, FAST));

    ConcatResult result = WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals(
        new ConcatResult("s3://finished/ep-1.mp3", 6.0, 4321, "reencode", 0.5, 1.5, 0.25), result);
    ConcatStatus status = job.status();
    assertEquals(JobState.COMPLETED, status.state());
    assertEquals(3, status.segmentsTotal());
    assertEquals(3, status.segmentsDownloaded());
    assertEquals(3, status.segmentsConcatenated());
    assertEquals(4321, status.bytesUploaded());
    assertEquals(1, status.attempt());
    assertEquals("100@hostA", status.worker());
    assertEquals(result, status.result());
    assertEquals(
        List.of("hostA:download", "hostA:concat", "hostA:upload"), ScriptedJobActivities.CALLS);
  }

  @Test
  void historyDoesNotGrowWithTheNumberOfSegments() {
    start();
    ConcatWorkflow small = start("small", request("small", 3, FAST));
    WorkflowStub.fromTyped(small).getResult(ConcatResult.class);
    ConcatWorkflow large = start("large", request("large", 1000, FAST));
    WorkflowStub.fromTyped(large).getResult(ConcatResult.class);

    int smallEvents = client.fetchHistory("small").getHistory().getEventsCount();
    int largeEvents = client.fetchHistory("large").getHistory().getEventsCount();
    assertEquals(smallEvents, largeEvents);
    assertTrue(largeEvents < 100, "history events per job: " + largeEvents);
  }

  @Test
  void hostLostMidConcatRerunsTheWholeSequenceOnAnotherHost() {
    hostA.onConcat =
        in -> {
          new Thread(hostAFactory::shutdownNow).start();
          sleepUntilInterrupted();
          throw new IllegalStateException("the host went away");
        };
    ConcatWorkflow job = start("lost", request("lost", 3, FAST));

    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    ConcatStatus status = job.status();
    assertEquals(JobState.COMPLETED, status.state());
    assertEquals(2, status.attempt());
    assertEquals("100@hostB", status.worker());
    assertNotNull(status.lastError(), "the lost host's failure stays visible");
    List<String> calls = ScriptedJobActivities.CALLS;
    assertTrue(
        calls.containsAll(List.of("hostB:download", "hostB:concat", "hostB:upload")),
        calls.toString());
    assertFalse(calls.contains("hostA:upload"), calls.toString());
  }

  @Test
  void concatThatStopsHeartbeatingIsTimedOutAndRunAgain() {
    hostA.onConcat =
        in -> {
          sleep(Duration.ofSeconds(6)); // silent for three heartbeat timeouts: a hung FFmpeg
          return new ConcatOutput(6.0, 4321, "reencode", 1.5);
        };
    ConcatWorkflow job = start("hung", request("hung", 3, FAST));

    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    ConcatStatus status = job.status();
    assertEquals(JobState.COMPLETED, status.state());
    assertEquals(2, status.attempt());
    assertTrue(status.lastError().contains("heartbeat timeout"), status.lastError());
    assertEquals(
        List.of("hostA:download", "hostA:concat", "hostB:download", "hostB:concat", "hostB:upload"),
        ScriptedJobActivities.CALLS);
  }

  @Test
  void runThatWentSilentIsRunAgainWithoutABackoff() throws Exception {
    hostA.onConcat =
        in -> {
          sleep(Duration.ofSeconds(6)); // a worker killed mid-join: silent past the timeout
          return new ConcatOutput(6.0, 4321, "reencode", 1.5);
        };
    ConcatWorkflow job = start("silent", request("silent", 3, FAST));
    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    List<HistoryEvent> events = client.fetchHistory("silent").getHistory().getEventsList();
    int timedOut = firstIndex(events, 0, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
    int rerun = firstIndex(events, timedOut, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    assertTrue(timedOut >= 0 && rerun > timedOut, "the job timed out, then claimed a host");
    assertEquals(
        List.of(),
        events.subList(timedOut, rerun).stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
            .toList(),
        "no backoff timer between the heartbeat timeout and the next claim");
    assertEquals(2, job.status().attempt());
    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory("silent"), ConcatWorkflowImpl.class);
  }

  private static int firstIndex(List<HistoryEvent> events, int from, EventType type) {
    for (int i = Math.max(from, 0); i < events.size(); i++) {
      if (events.get(i).getEventType() == type) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void workerShutdownsDoNotUseUpTheJobsAttempts() {
    JobTimeouts twoAttempts = new JobTimeouts(600L, 2L, 60L, 60L, 60L, 2L, 2);
    AtomicInteger hostBDownloads = new AtomicInteger();
    hostA.onDownload =
        in -> {
          throw shutdown(in.jobId());
        };
    hostB.onDownload =
        in -> {
          if (hostBDownloads.incrementAndGet() == 1) {
            throw shutdown(in.jobId());
          }
          return new DownloadResult(3, 3000, 0.5);
        };
    ConcatWorkflow job = start("deploys", request("deploys", 3, twoAttempts));

    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    ConcatStatus status = job.status();
    assertEquals(JobState.COMPLETED, status.state());
    assertEquals(
        4,
        status.attempt(),
        "three shutdowns, then a run that completed, with only 2 host attempts");
    assertTrue(status.lastError().contains("shutting down"), status.lastError());
  }

  @Test
  void lostDownloadsHeartbeatDetailsReachTheNextRun() {
    DownloadCheckpoint checkpoint = new DownloadCheckpoint("hostA", "0-1", 0.5);
    AtomicReference<DownloadCheckpoint> handedOver = new AtomicReference<>();
    hostA.onDownload =
        in -> {
          Activity.getExecutionContext().heartbeat(checkpoint);
          // A worker killed mid-download: silent past the heartbeat timeout.
          sleep(Duration.ofSeconds(6));
          return new DownloadResult(3, 3000, 0.5);
        };
    hostB.onDownload =
        in -> {
          handedOver.set(in.resumeFrom());
          return new DownloadResult(3, 3000, 0.5);
        };
    ConcatWorkflow job = start("resume", request("resume", 3, FAST));

    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals(2, job.status().attempt());
    assertEquals(checkpoint, handedOver.get());
  }

  @Test
  void badSegmentFailsTheJobAtOnceNamingTheSegment() {
    hostA.onDownload =
        in -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "job bad: segment 1 (s3://episodes/seg-1.mp3) does not exist",
              FailureType.INVALID_SEGMENT.type());
        };
    ConcatWorkflow job = start("bad", request("bad", 3, FAST));

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.INVALID_SEGMENT.type(), cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains("segment 1 (s3://episodes/seg-1.mp3)"),
        cause.getOriginalMessage());
    assertEquals(
        List.of("hostA:download", "hostA:cleanup"),
        ScriptedJobActivities.CALLS,
        "no retry, no other host");
    assertEquals(JobState.FAILED, job.status().state());
    assertTrue(job.status().lastError().contains("segment 1"), job.status().lastError());
  }

  @Test
  void invalidRequestFailsBeforeAnyActivity() {
    start();
    ConcatWorkflow job = client.newWorkflowStub(ConcatWorkflow.class, options("empty"));
    WorkflowClient.start(
        job::concat,
        ConcatRequest.builder("empty").segments(List.of()).output("s3://finished/x.mp3").build());

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.INVALID_REQUEST.type(), cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains("segment list is empty"), cause.getOriginalMessage());
    assertTrue(ScriptedJobActivities.CALLS.isEmpty());
  }

  @Test
  // An audio field the data converter cannot read back fails the workflow task, retried forever.
  @Timeout(60)
  void audioOptionsReachTheActivitiesAndTheMeasuredAudioTheResult() {
    MeasuredAudio measured =
        new MeasuredAudio("mp3", 48_000, 1, 96_000, 6.0, -16.1, -1.2, 4.5, 2, 3.5);
    AtomicReference<DownloadInput> downloadInput = new AtomicReference<>();
    AtomicReference<ConcatInput> concatInput = new AtomicReference<>();
    hostA.onDownload =
        in -> {
          downloadInput.set(in);
          return new DownloadResult(3, 3000, 0.5);
        };
    hostA.onConcat =
        in -> {
          concatInput.set(in);
          return new ConcatOutput(6.0, 4321, "reencode", 1.5, measured);
        };
    ConcatRequest plain = request("audio", 3, FAST);
    ConcatRequest request =
        ConcatRequest.builder("audio")
            .segments(plain.segments())
            .output(plain.output())
            .timeouts(FAST)
            .encoding(new Encoding(96, 48_000, 1))
            .loudness(new Loudness(-16.0, null))
            .metadata(new EpisodeMetadata("Episode 7", "Host", "Show", 7, "s3://art/cover.jpg"))
            .chapters(List.of(new Chapter(0, "Intro"), new Chapter(2, "Interview")))
            .build();
    ConcatWorkflow job = start("audio", request);

    ConcatResult result = WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals(request.audio(), concatInput.get().audio());
    assertEquals("s3://art/cover.jpg", downloadInput.get().cover());
    assertEquals(measured, result.audio());
  }

  @Test
  void streamCopyWithLoudnessIsAnInvalidRequestNamingBothFields() {
    ConcatRequest plain = request("copy-loud", 3, FAST);
    ConcatRequest request =
        ConcatRequest.builder("copy-loud")
            .segments(plain.segments())
            .output(plain.output())
            .allowStreamCopy(true)
            .timeouts(FAST)
            .loudness(new Loudness(null, null))
            .build();
    ConcatWorkflow job = start("copy-loud", request);

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.INVALID_REQUEST.type(), cause.getType());
    String message = cause.getOriginalMessage();
    assertTrue(message.contains("loudness") && message.contains("allowStreamCopy"), message);
    assertTrue(ScriptedJobActivities.CALLS.isEmpty());
  }

  @Test
  void cancellationStopsTheRunningConcatAndCleansUp() {
    AtomicBoolean concatSawCancel = new AtomicBoolean();
    hostA.onConcat = in -> heartbeatUntilStopped(concatSawCancel);
    ConcatWorkflow job = start("cancel", request("cancel", 3, FAST));
    awaitStatus(job, s -> s.state() == JobState.CONCATENATING);

    WorkflowStub.fromTyped(job).cancel();

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));
    assertInstanceOf(CanceledFailure.class, failed.getCause());
    assertTrue(concatSawCancel.get(), "the running activity learned of the cancellation");
    assertEquals(JobState.CANCELLED, job.status().state());
    assertTrue(ScriptedJobActivities.CALLS.contains("hostA:cleanup"));
    assertFalse(ScriptedJobActivities.CALLS.contains("hostA:upload"));
  }

  @Test
  void maximumProcessingTimeFailsTheJobAndStopsFfmpeg() {
    AtomicBoolean concatSawCancel = new AtomicBoolean();
    hostA.onConcat = in -> heartbeatUntilStopped(concatSawCancel);
    // Wide heartbeat and schedule-to-start timeouts: on a loaded machine, 2 s ones ended the
    // concat attempt before the deadline, and the deadline then found no activity to stop.
    JobTimeouts limit = new JobTimeouts(6L, 4L, 60L, 60L, 60L, 10L, 3);
    ConcatWorkflow job = start("slow", request("slow", 3, limit));
    awaitStatus(job, s -> s.state() == JobState.CONCATENATING);

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(job).getResult(ConcatResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FailureType.MAX_PROCESSING_TIME.type(), cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains("maximum processing time of 6 s"),
        cause.getOriginalMessage());
    assertTrue(concatSawCancel.get(), "FFmpeg's activity was told to stop");
    assertEquals(JobState.FAILED, job.status().state());
    assertTrue(ScriptedJobActivities.CALLS.contains("hostA:cleanup"));
    assertFalse(ScriptedJobActivities.CALLS.contains("hostA:upload"));
  }

  @Test
  void malformedForgedAndStaleProgressChangesNothingAndNeverBreaksTheJob() {
    List<ProgressUpdate> refused = new ArrayList<>();
    hostA.onDownload =
        in -> {
          String token = in.progressToken();
          assertNotNull(token, "the workflow hands each attempt a progress token");
          List<ProgressUpdate> bad =
              new ArrayList<>(
                  List.of(
                      new ProgressUpdate(null, 0, 0, null, 0, 0, null),
                      new ProgressUpdate("download", 3, 3, "100@hostA", 1, 1_000, "forged"),
                      new ProgressUpdate("download", 3, 3, "100@hostA", 1, 1_000, null),
                      new ProgressUpdate("concat", 1, 3, "100@hostA", 1, 1_000, token),
                      new ProgressUpdate("download", 4, 3, "100@hostA", 1, 1_000, token),
                      new ProgressUpdate("download", -1, 3, "100@hostA", 1, 1_000, token),
                      new ProgressUpdate("download", 3, 999, "100@hostA", 1, 1_000, token),
                      new ProgressUpdate(
                          "download", 3, 3, "100@hostA", 1, 4_102_444_800_000L, token)));
          for (ProgressUpdate update : bad) {
            try {
              report(in.jobId(), update);
            } catch (WorkflowUpdateException expected) {
              refused.add(update);
            }
          }
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  client
                      .newUntypedWorkflowStub(in.jobId())
                      .update(ProgressUpdate.UPDATE, Void.class, (Object) null));
          // The legacy signal with nothing, nothing sensible, or a well-formed forgery.
          signal(in.jobId(), null);
          signal(in.jobId(), "not a progress report");
          signal(
              in.jobId(), new ProgressUpdate("download", 3, 3, "100@hostA", 1, 4_102_444_800_000L));
          ConcatStatus status =
              WorkflowStub.fromTyped(client.newWorkflowStub(ConcatWorkflow.class, in.jobId()))
                  .query("status", ConcatStatus.class);
          assertEquals(0, status.segmentsDownloaded(), status::toString);
          assertTrue(status.lastProgressAt().compareTo("2100") < 0, status::toString);
          return new DownloadResult(3, 3000, 0.5);
        };
    ConcatWorkflow job = start("attacked", request("attacked", 3, FAST));

    ConcatResult result = WorkflowStub.fromTyped(job).getResult(ConcatResult.class);

    assertEquals(8, refused.size(), "every bad report was refused: " + refused);
    assertEquals(6.0, result.durationSeconds());
    assertEquals(JobState.COMPLETED, job.status().state());
    long accepted =
        client.fetchHistory("attacked").getHistory().getEventsList().stream()
            .filter(e -> e.hasWorkflowExecutionUpdateAcceptedEventAttributes())
            .count();
    assertEquals(0, accepted, "no rejected report entered the history");
  }

  @Test
  void statusStartsAtTheSubmitTimeAndSaysWhenWorkBegan() {
    ConcatWorkflow job = start("timed", request("timed", 3, FAST));
    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);
    var started = client.fetchHistory("timed").getHistory().getEvents(0).getEventTime();
    ConcatStatus status = job.status();
    assertEquals(
        java.time.Instant.ofEpochSecond(started.getSeconds(), started.getNanos()).toString(),
        status.startedAt());
    assertNotNull(status.workStartedAt());
    assertTrue(status.workStartedAt().compareTo(status.startedAt()) >= 0, status::toString);
    assertEquals(ConcatStatus.WORKFLOW_VIEW, status.view());
  }

  @Test
  void statusQueryFollowsEachPhaseAndIgnoresStaleProgress() throws InterruptedException {
    CountDownLatch downloadGate = new CountDownLatch(1);
    CountDownLatch concatGate = new CountDownLatch(1);
    CountDownLatch uploadGate = new CountDownLatch(1);
    hostA.onDownload =
        in -> {
          report(
              in.jobId(),
              new ProgressUpdate("download", 2, 3, "100@hostA", 1, 2_000, in.progressToken()));
          // Another attempt's, and a signal on the legacy channel: neither moves the numbers.
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  report(
                      in.jobId(),
                      new ProgressUpdate("download", 3, 3, "100@hostA", 1, 3_000, "an-old-token")));
          signal(in.jobId(), new ProgressUpdate("download", 3, 3, "100@hostA", 1, 3_000));
          await(downloadGate);
          return new DownloadResult(3, 3000, 0.5);
        };
    hostA.onConcat =
        in -> {
          report(
              in.jobId(),
              new ProgressUpdate("concat", 1, 3, "100@hostA", 1, 4_000, in.progressToken()));
          await(concatGate);
          return new ConcatOutput(6.0, 4321, "reencode", 1.5);
        };
    hostA.onUpload =
        in -> {
          report(
              in.jobId(),
              new ProgressUpdate("upload", 1000, 4321, "100@hostA", 1, 5_000, in.progressToken()));
          await(uploadGate);
          return new dev.concat.contract.UploadResult(4321, 0.25);
        };
    ConcatWorkflow job = start("phases", request("phases", 3, FAST));

    ConcatStatus downloading = awaitStatus(job, s -> s.segmentsDownloaded() == 2);
    sleep(Duration.ofMillis(300));
    downloading = job.status();
    assertEquals(2, downloading.segmentsDownloaded(), downloading::toString);
    assertEquals(JobState.DOWNLOADING, downloading.state());
    assertEquals("1970-01-01T00:00:02Z", downloading.lastProgressAt());
    assertEquals("100@hostA", downloading.worker());
    downloadGate.countDown();
    ConcatStatus concatenating = awaitStatus(job, s -> s.segmentsConcatenated() == 1);
    assertEquals(JobState.CONCATENATING, concatenating.state());
    assertEquals(3, concatenating.segmentsDownloaded());
    concatGate.countDown();
    ConcatStatus uploading = awaitStatus(job, s -> s.bytesUploaded() == 1000);
    assertEquals(JobState.UPLOADING, uploading.state());
    assertEquals(3, uploading.segmentsConcatenated());
    uploadGate.countDown();
    WorkflowStub.fromTyped(job).getResult(ConcatResult.class);
    assertEquals(JobState.COMPLETED, job.status().state());
  }

  private ConcatWorkflow start(String id, ConcatRequest request) {
    start();
    ConcatWorkflow job = client.newWorkflowStub(ConcatWorkflow.class, options(id));
    WorkflowClient.start(job::concat, request);
    return job;
  }

  private void start() {
    if (!env.isStarted()) {
      env.start();
      hostAFactory.start();
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build();
  }

  private static ConcatRequest request(String id, int segments, JobTimeouts timeouts) {
    List<String> keys = new ArrayList<>();
    IntStream.range(0, segments).forEach(i -> keys.add("s3://episodes/seg-" + i + ".mp3"));
    return ConcatRequest.builder(id)
        .segments(keys)
        .output("s3://finished/" + id + ".mp3")
        .timeouts(timeouts)
        .build();
  }

  private static ApplicationFailure shutdown(String jobId) {
    return ApplicationFailure.newFailure(
        "job " + jobId + ": download interrupted because worker 100@host is shutting down",
        FailureType.WORKER_SHUTDOWN.type());
  }

  private void signal(String jobId, Object update) {
    client.newUntypedWorkflowStub(jobId).signal(ProgressUpdate.SIGNAL, update);
  }

  private void report(String jobId, ProgressUpdate update) {
    client.newUntypedWorkflowStub(jobId).update(ProgressUpdate.UPDATE, Void.class, update);
  }

  private static ConcatStatus awaitStatus(ConcatWorkflow job, Predicate<ConcatStatus> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ConcatStatus status = job.status();
      if (condition.test(status)) {
        return status;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("status never matched; last: " + job.status());
  }

  private static void await(CountDownLatch gate) {
    try {
      assertTrue(gate.await(20, TimeUnit.SECONDS), "the test never opened the gate");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleepUntilInterrupted() {
    try {
      Thread.sleep(Duration.ofMinutes(5).toMillis());
    } catch (InterruptedException expected) {
      Thread.currentThread().interrupt();
    }
  }
}
