package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.app.jobs.JobStarter;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobState;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Bad input fails at once: no rerun burned, a non-retryable failure of the right type naming the
 * job (and the segment and its key where there is one), nothing uploaded, nothing written outside
 * the job's work directory. An FFmpeg killed by a signal says so, and its job reruns. A job id
 * submitted again while its job runs attaches to it.
 */
@Timeout(120)
class BadInputIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  /**
   * Failing in the workflow's own validation takes a workflow task: well under a second normally.
   */
  private static final Duration REQUEST_FAILS_WITHIN = Duration.ofSeconds(10);

  /** Claim, download and probe of two small segments: a few seconds even on a busy machine. */
  private static final Duration SEGMENT_FAILS_WITHIN = Duration.ofSeconds(20);

  @TempDir Path temp;

  /** What a case expects of the failed job. */
  private record Expected(String type, int attempt, List<String> mentions) {}

  /**
   * Requests the workflow refuses before it claims any host: nothing runs on a worker, so the
   * status shows no attempt and no worker. Keys and job ids that would climb out of a directory if
   * they ever became paths must not create anything outside {@code <workDir>/jobs}.
   */
  @Test
  void malformedRequestsFailBeforeAnyHostIsClaimed() {
    AudioSet audio = AudioSet.sines(2, 1.0);
    List<String> good = audio.upload(stack.s3(), "requests");
    WorkerJvm worker = stack.startWorker("A");
    String marker = "concat-escape-" + UUID.randomUUID().toString().substring(0, 8);
    Path scratch = worker.workDir().getParent().getParent();
    Set<String> before = StrayFiles.outside(scratch, worker.workDir().resolve("jobs"));
    String goodEtag = etag("requests/001.mp3");

    List<Executable> cases = new ArrayList<>();
    cases.add(
        () ->
            expectFailure(
                "empty-segment-list",
                ConcatRequest.builder("empty-segment-list")
                    .segments(List.of())
                    .output(S3Fixture.uri("out/empty-segment-list.mp3"))
                    .build(),
                "out/empty-segment-list.mp3",
                new Expected(
                    FailureType.INVALID_REQUEST.type(), 0, List.of("the segment list is empty")),
                REQUEST_FAILS_WITHIN));
    cases.add(
        () -> {
          expectFailure(
              "output-is-an-input",
              ConcatRequest.builder("output-is-an-input")
                  .segments(good)
                  .output(good.get(1))
                  .build(),
              null,
              new Expected(
                  FailureType.INVALID_REQUEST.type(),
                  0,
                  List.of("output '" + good.get(1) + "' is also segment 1")),
              REQUEST_FAILS_WITHIN);
          assertEquals(
              goodEtag, etag("requests/001.mp3"), "the input named as output is untouched");
        });
    cases.add(
        () ->
            expectFailure(
                "malformed-segment-uri",
                ConcatRequest.builder("malformed-segment-uri")
                    .segments(List.of(good.get(0), "https://media.example.com/a.mp3"))
                    .output(S3Fixture.uri("out/malformed-segment-uri.mp3"))
                    .build(),
                "out/malformed-segment-uri.mp3",
                new Expected(
                    FailureType.INVALID_REQUEST.type(),
                    0,
                    List.of(
                        "segment 1",
                        "'https://media.example.com/a.mp3' is not an s3://bucket/key URI")),
                REQUEST_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "malformed-output-uri",
                ConcatRequest.builder("malformed-output-uri")
                    .segments(good)
                    .output("s3://" + S3Fixture.BUCKET)
                    .build(),
                null,
                new Expected(
                    FailureType.INVALID_REQUEST.type(),
                    0,
                    List.of("output", "needs both a bucket and a key")),
                REQUEST_FAILS_WITHIN));
    String climbing = S3Fixture.uri("x/../../../" + marker + "-rel.mp3");
    cases.add(
        () ->
            expectFailure(
                "dotdot-segment-key",
                ConcatRequest.builder("dotdot-segment-key")
                    .segments(List.of(good.get(0), climbing))
                    .output(S3Fixture.uri("out/dotdot.mp3"))
                    .build(),
                "out/dotdot.mp3",
                new Expected(
                    FailureType.INVALID_REQUEST.type(),
                    0,
                    List.of("segment 1", climbing, "'..' part")),
                REQUEST_FAILS_WITHIN));
    String toTmp = S3Fixture.uri("x/../../../../../../../../../../tmp/" + marker + "-deep.mp3");
    cases.add(
        () ->
            expectFailure(
                "dotdot-output-key",
                ConcatRequest.builder("dotdot-output-key").segments(good).output(toTmp).build(),
                null,
                new Expected(
                    FailureType.INVALID_REQUEST.type(), 0, List.of("output", toTmp, "'..' part")),
                REQUEST_FAILS_WITHIN));
    String absolute = "s3://" + S3Fixture.BUCKET + "//tmp/" + marker + "-abs.mp3";
    cases.add(
        () ->
            expectFailure(
                "absolute-segment-key",
                ConcatRequest.builder("absolute-segment-key")
                    .segments(List.of(absolute, good.get(1)))
                    .output(S3Fixture.uri("out/absolute.mp3"))
                    .build(),
                "out/absolute.mp3",
                new Expected(
                    FailureType.INVALID_REQUEST.type(),
                    0,
                    List.of("segment 0", absolute, "absolute key")),
                REQUEST_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "impossible-audio",
                ConcatRequest.builder("impossible-audio")
                    .segments(good)
                    .output(S3Fixture.uri("out/impossible-audio.mp3"))
                    .allowStreamCopy(true)
                    .encoding(new Encoding(null, 96_000, null))
                    .loudness(new Loudness(null, null))
                    .gapMs(500)
                    .crossfadeMs(300)
                    .chapters(List.of(new Chapter(1, "Late start")))
                    .build(),
                "out/impossible-audio.mp3",
                new Expected(
                    FailureType.INVALID_REQUEST.type(),
                    0,
                    List.of(
                        "encoding.sampleRate 96000",
                        "allowStreamCopy",
                        "loudness",
                        "gapMs and crossfadeMs",
                        "chapters[0]")),
                REQUEST_FAILS_WITHIN));
    // Valid workflow ids for Temporal; not job ids, and the second would be a path out of jobs/.
    for (String badId : List.of("bad id!", "../" + marker + "-id")) {
      cases.add(
          () ->
              expectFailure(
                  badId,
                  ConcatRequest.builder(badId)
                      .segments(good)
                      .output(S3Fixture.uri("out/bad-id.mp3"))
                      .build(),
                  "out/bad-id.mp3",
                  new Expected(
                      FailureType.INVALID_REQUEST.type(),
                      0,
                      List.of("job id '" + badId + "' is invalid")),
                  REQUEST_FAILS_WITHIN));
    }
    cases.add(
        () -> {
          Set<String> added =
              new TreeSet<>(StrayFiles.outside(scratch, worker.workDir().resolve("jobs")));
          added.removeAll(before);
          assertEquals(
              Set.of(),
              added,
              "files created under " + scratch + " outside " + worker.workDir().resolve("jobs"));
          List<Path> escaped = new ArrayList<>(StrayFiles.named(marker, scratch, 12));
          escaped.addAll(StrayFiles.named(marker, Path.of("/tmp"), 3));
          escaped.addAll(StrayFiles.named(marker, Path.of("").toAbsolutePath(), 2));
          assertEquals(
              List.of(),
              escaped,
              "files named after a key or job id that climbs out of a directory");
        });
    assertAll(cases);
  }

  /**
   * Segments that cannot be joined and buckets that do not exist: each fails its first and only run
   * on the worker, in download or probe, naming the segment's index and key.
   */
  @Test
  void unusableSegmentsAndMissingBucketsFailTheFirstRunNamingTheSegment() {
    AudioSet audio = AudioSet.sines(2, 1.0);
    List<String> good = audio.upload(stack.s3(), "segments");
    String empty = put("segments/empty.mp3", new byte[0]);
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    String corrupt = put("segments/corrupt.mp3", noise);
    String text =
        put("segments/notes.mp3", "intro: thank the sponsor\n".getBytes(StandardCharsets.UTF_8));
    String missing = S3Fixture.uri("segments/never-uploaded.mp3");
    String noBucket = "s3://no-such-bucket-concat/segments/000.mp3";
    stack.startWorker("A");

    List<Executable> cases = new ArrayList<>();
    cases.add(
        () ->
            expectFailure(
                "missing-object",
                ConcatRequest.builder("missing-object")
                    .segments(List.of(good.get(0), missing))
                    .output(S3Fixture.uri("out/missing-object.mp3"))
                    .build(),
                "out/missing-object.mp3",
                new Expected(
                    FailureType.INVALID_SEGMENT.type(),
                    1,
                    List.of("segment 1", missing, "does not exist")),
                SEGMENT_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "zero-byte-segment",
                ConcatRequest.builder("zero-byte-segment")
                    .segments(List.of(good.get(0), empty))
                    .output(S3Fixture.uri("out/zero-byte.mp3"))
                    .build(),
                "out/zero-byte.mp3",
                new Expected(
                    FailureType.INVALID_SEGMENT.type(), 1, List.of("segment 1", empty, "empty")),
                SEGMENT_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "corrupt-segment",
                ConcatRequest.builder("corrupt-segment")
                    .segments(List.of(good.get(0), corrupt))
                    .output(S3Fixture.uri("out/corrupt.mp3"))
                    .build(),
                "out/corrupt.mp3",
                new Expected(
                    FailureType.INVALID_SEGMENT.type(),
                    1,
                    List.of("segment 1", corrupt, "not usable audio")),
                SEGMENT_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "text-segment",
                ConcatRequest.builder("text-segment")
                    .segments(List.of(text, good.get(1)))
                    .output(S3Fixture.uri("out/text.mp3"))
                    .build(),
                "out/text.mp3",
                new Expected(
                    FailureType.INVALID_SEGMENT.type(),
                    1,
                    List.of("segment 0", text, "not usable audio")),
                SEGMENT_FAILS_WITHIN));
    cases.add(
        () ->
            expectFailure(
                "missing-segment-bucket",
                ConcatRequest.builder("missing-segment-bucket")
                    .segments(List.of(good.get(0), noBucket))
                    .output(S3Fixture.uri("out/missing-segment-bucket.mp3"))
                    .build(),
                "out/missing-segment-bucket.mp3",
                new Expected(
                    FailureType.MISSING_BUCKET.type(),
                    1,
                    List.of(
                        "segment 1", noBucket, "bucket 'no-such-bucket-concat' does not exist")),
                SEGMENT_FAILS_WITHIN));
    String noCover = S3Fixture.uri("segments/never-uploaded-cover.jpg");
    cases.add(
        () ->
            expectFailure(
                "missing-cover",
                ConcatRequest.builder("missing-cover")
                    .segments(good)
                    .output(S3Fixture.uri("out/missing-cover.mp3"))
                    .metadata(new EpisodeMetadata("Episode", null, null, null, noCover))
                    .build(),
                "out/missing-cover.mp3",
                new Expected(
                    FailureType.INVALID_COVER.type(),
                    1,
                    List.of("cover image", noCover, "does not exist")),
                SEGMENT_FAILS_WITHIN));
    cases.add(
        () -> {
          String output = "s3://no-such-output-bucket/out/episode.mp3";
          stack.s3().resetCounts();
          expectFailure(
              "missing-output-bucket",
              ConcatRequest.builder("missing-output-bucket").segments(good).output(output).build(),
              null,
              new Expected(
                  FailureType.MISSING_BUCKET.type(),
                  1,
                  List.of("output " + output, "bucket 'no-such-output-bucket' does not exist")),
              SEGMENT_FAILS_WITHIN);
          assertEquals(
              0,
              stack.s3().gets(),
              "no segment is fetched for a job whose output cannot be stored");
          assertTrue(
              stack.s3().client().listBuckets().buckets().stream()
                  .noneMatch(b -> b.name().equals("no-such-output-bucket")),
              "the missing bucket is not created");
        });
    assertAll(cases);
  }

  /**
   * Submitting a running job's id again through the CLI (as a separate process, as an operator
   * does) attaches to it; so does the race the CLI's own check cannot see (a start that finds the
   * id taken). One execution, one run id, the job undisturbed.
   */
  @Test
  void submittingARunningJobsIdAgainAttachesToItInsteadOfStartingAnother() throws Exception {
    AudioSet audio = AudioSet.sines(40, 1.0);
    String jobId = "submitted-twice";
    String output = S3Fixture.uri("out/" + jobId + ".mp3");
    List<String> uris = audio.upload(stack.s3(), jobId);
    // 40 GETs of 0.5 s one after another: the job stays in its download while the CLI starts.
    stack.s3().delayGets(Duration.ofMillis(500));
    WorkerJvm worker = stack.startWorker("A", Map.of("CONCAT_DOWNLOAD_PARALLELISM", "1"));
    stack.jobs().start(ConcatRequest.builder(jobId).segments(uris).output(output).build());
    ConcatStatus first =
        stack
            .jobs()
            .awaitStatus(
                jobId,
                "downloading on A",
                s -> s.state() == JobState.DOWNLOADING && worker.identity().equals(s.worker()),
                Duration.ofSeconds(30));
    String runId = runId(jobId);

    List<String> submit = new ArrayList<>(List.of("submit", "--job-id", jobId, "--output", output));
    submit.addAll(uris);
    long started = System.nanoTime();
    CliProcess cli = CliProcess.run(stack.environment(), temp, submit, Duration.ofSeconds(60));
    Duration cliTook = Duration.ofNanos(System.nanoTime() - started);
    JobStarter.Outcome raced =
        new JobStarter(stack.temporal().client(), stack.environment().taskQueue())
            .start(ConcatRequest.builder(jobId).segments(uris).output(output).build());

    assertEquals(0, cli.exitCode(), cli::transcript);
    assertTrue(
        cli.err().contains("job " + jobId + " is already running; not starting it again"),
        cli::transcript);
    assertEquals(JobStarter.Outcome.ALREADY_RUNNING, raced, "a start that finds the id taken");
    assertEquals(runId, runId(jobId), "the running execution is still the only one");
    List<WorkflowExecutionMetadata> executions = awaitExecutions(jobId);
    assertEquals(1, executions.size(), () -> "executions of " + jobId + ": " + executions);
    ConcatStatus after = stack.jobs().status(jobId);
    assertEquals(JobState.DOWNLOADING, after.state(), after::toString);
    assertEquals(first.attempt(), after.attempt(), "the job was not restarted");
    assertEquals(worker.identity(), after.worker());
    Reliability.record(
        "bad-input",
        "case",
        "resubmit-running-job",
        "cli_seconds",
        cliTook,
        "executions",
        executions.size(),
        "attempt",
        after.attempt());
  }

  /**
   * kill -9 of the FFmpeg joining a job (as the OOM killer does): the attempt fails saying FFmpeg
   * was killed by SIGKILL, not with a generic error, and the job runs again and completes.
   */
  @Test
  void anFfmpegKilledBySigkillIsReportedAsSuchAndTheJobCompletesOnARerun() {
    AudioSet audio = AudioSet.sines(3, 2.0);
    String jobId = "ffmpeg-sigkilled";
    String outputKey = "out/" + jobId + ".mp3";
    WorkerJvm worker = stack.startWorker("A", stack.slowFfmpeg());
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey))
                .build());
    stack
        .jobs()
        .awaitStatus(
            jobId,
            "concatenating",
            s -> s.state() == JobState.CONCATENATING,
            Duration.ofSeconds(60));
    Orphans.Proc ffmpeg = Orphans.awaitFfmpeg(worker.workDir(), Duration.ofSeconds(10));

    long killed = System.nanoTime();
    ProcessHandle.of(ffmpeg.pid()).ifPresent(ProcessHandle::destroyForcibly);
    ConcatStatus rerun =
        stack
            .jobs()
            .awaitStatus(
                jobId,
                "run again after FFmpeg was killed",
                s -> s.attempt() >= 2,
                Duration.ofSeconds(30));
    Duration detected = Duration.ofNanos(System.nanoTime() - killed);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(60));
    Duration completed = Duration.ofNanos(System.nanoTime() - killed);

    assertTrue(
        rerun.lastError() != null
            && rerun.lastError().contains("job " + jobId)
            && rerun.lastError().contains("killed by SIGKILL"),
        () -> "the status names the signal: " + rerun.lastError());
    assertFalse(
        rerun.lastError().contains("exit code"),
        () -> "not a generic exit code: " + rerun.lastError());
    List<String> failures = activityFailures(jobId);
    assertEquals(
        List.of(FailureType.FFMPEG_KILLED.type()),
        failures,
        "the failed activities of " + jobId + ", by type");
    ConcatStatus done = stack.jobs().status(jobId);
    assertEquals(JobState.COMPLETED, done.state(), done::toString);
    assertEquals(2, done.attempt(), done::toString);
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    double decoded =
        SampleAudio.decodedSeconds(stack.s3().download(outputKey, temp.resolve("out.mp3")));
    assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
    Reliability.record(
        "bad-input",
        "case",
        "ffmpeg-sigkill",
        "type",
        failures.get(0),
        "rerun_seconds",
        detected,
        "complete_seconds",
        completed,
        "attempts",
        done.attempt(),
        "last_error",
        "\"" + rerun.lastError() + "\"");
  }

  /**
   * Starts {@code request}, waits for it to fail and checks what every bad input must give: a
   * non-retryable failure of the expected type naming the job and what {@code expected} lists, no
   * rerun, no object at {@code outputKey} (when it is a key of the test bucket), and how soon.
   */
  private static void expectFailure(
      String name, ConcatRequest request, String outputKey, Expected expected, Duration within) {
    String jobId = request.jobId();
    long started = System.nanoTime();
    stack.jobs().start(request);
    WorkflowFailedException failed = stack.jobs().awaitFailure(jobId, within.plusSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    ApplicationFailure failure =
        assertInstanceOf(ApplicationFailure.class, failed.getCause(), failed::toString);
    String message = failure.getOriginalMessage();
    ConcatStatus status = stack.jobs().status(jobId);
    Reliability.record(
        "bad-input",
        "case",
        name,
        "type",
        failure.getType(),
        "attempt",
        status.attempt(),
        "fail_seconds",
        took);

    assertEquals(expected.type(), failure.getType(), () -> name + ": " + message);
    assertTrue(failure.isNonRetryable(), () -> name + ": not retryable: " + failure);
    assertTrue(message.contains("job " + jobId), () -> name + ": names the job: " + message);
    for (String mention : expected.mentions()) {
      assertTrue(
          message.contains(mention), () -> name + ": mentions \"" + mention + "\": " + message);
    }
    assertEquals(JobState.FAILED, status.state(), () -> name + ": " + status);
    assertEquals(
        expected.attempt(),
        status.attempt(),
        () -> name + ": runs of the host-bound sequence: " + status);
    if (expected.attempt() == 0) {
      assertNull(status.worker(), () -> name + ": no host was claimed: " + status);
    }
    assertEquals(message, status.lastError(), () -> name + ": the status carries the failure");
    if (outputKey != null) {
      assertFalse(
          stack.s3().exists(outputKey), () -> name + ": nothing is uploaded to " + outputKey);
    }
    assertTrue(
        took.compareTo(within) <= 0,
        () -> name + ": failed after " + took + ", not within " + within);
  }

  private static String put(String key, byte[] bytes) {
    stack
        .s3()
        .client()
        .putObject(b -> b.bucket(S3Fixture.BUCKET).key(key), RequestBody.fromBytes(bytes));
    return S3Fixture.uri(key);
  }

  private static String etag(String key) {
    return stack.s3().client().headObject(b -> b.bucket(S3Fixture.BUCKET).key(key)).eTag();
  }

  private static String runId(String jobId) {
    return stack.jobs().untyped(jobId).describe().getExecution().getRunId();
  }

  /**
   * The dev server's visibility store lags a little behind a start; the first run is long visible.
   */
  private static List<WorkflowExecutionMetadata> awaitExecutions(String jobId)
      throws InterruptedException {
    List<WorkflowExecutionMetadata> found = List.of();
    for (int i = 0; i < 20 && found.isEmpty(); i++) {
      found = stack.temporal().client().listExecutions("WorkflowId = '" + jobId + "'").toList();
      if (found.isEmpty()) {
        Thread.sleep(250);
      }
    }
    return found;
  }

  /** The type of each failed activity in the job's history, in order. */
  private static List<String> activityFailures(String jobId) {
    return stack.temporal().client().fetchHistory(jobId).getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskFailedEventAttributes)
        .map(e -> e.getActivityTaskFailedEventAttributes().getFailure())
        .map(
            f ->
                f.hasApplicationFailureInfo()
                    ? f.getApplicationFailureInfo().getType()
                    : f.getMessage())
        .toList();
  }
}
