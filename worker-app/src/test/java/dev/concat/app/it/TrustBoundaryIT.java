package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The attacks of issue 12 as a client would make them: started through Temporal against a real
 * worker process whose operator allows s3://media/shows/ in and s3://media/published/ out. Each
 * fails with a non-retryable type naming the URI or segment, uploads nothing, and leaves no work
 * directory.
 */
@Timeout(180)
class TrustBoundaryIT {
  @RegisterExtension static final RealStack stack = new RealStack();
  private static final Map<String, String> OPERATOR =
      Map.of(
          "CONCAT_ALLOWED_INPUTS",
          "s3://media/shows/",
          "CONCAT_ALLOWED_OUTPUTS",
          "s3://media/published/",
          "CONCAT_MAX_HOST_ATTEMPTS",
          "5");
  private static final Duration FAILS_WITHIN = Duration.ofSeconds(30);

  @TempDir Path temp;

  @Test
  void attacksFailAtOnceAndLeaveNothing() throws Exception {
    String intro =
        stack.s3().put("shows/ep/intro.mp3", SampleAudio.sine(temp.resolve("intro.mp3"), 1.0, 440));
    String victim =
        stack.s3().put("private/payroll.mp3", SampleAudio.sine(temp.resolve("p.mp3"), 1.0, 550));
    Path secret = SampleAudio.sine(temp.resolve("secret-on-the-worker.mp3"), 2.0, 880);
    String playlist =
        put(
            "shows/ep/evil.mp3",
            ("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile:" + secret + "\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8));
    WorkerJvm worker = stack.startWorker("A", OPERATOR);
    stack.s3().resetCounts();

    ApplicationFailure read =
        fails(
            ConcatRequest.builder("cross-read")
                .segments(List.of(intro, victim))
                .output(S3Fixture.uri("published/cross-read.mp3"))
                .build(),
            "published/cross-read.mp3");
    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), read.getType());
    assertTrue(
        read.getOriginalMessage()
            .contains(
                "segment 1 "
                    + victim
                    + " is outside the allowed locations "
                    + "(CONCAT_ALLOWED_INPUTS (--allowed-inputs) = s3://media/shows/)"),
        read.getOriginalMessage());
    assertNull(stack.jobs().status("cross-read").worker(), "no host claimed");

    ApplicationFailure overwrite =
        fails(
            ConcatRequest.builder("overwrite")
                .segments(List.of(intro))
                .output(S3Fixture.uri("shows/ep/published-episode.mp3"))
                .build(),
            null);
    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), overwrite.getType());
    assertTrue(
        overwrite.getOriginalMessage().contains("CONCAT_ALLOWED_OUTPUTS"),
        overwrite.getOriginalMessage());
    assertEquals(0, stack.s3().gets(), "no object was read for either");

    ApplicationFailure greedy =
        fails(
            ConcatRequest.builder("greedy")
                .segments(List.of(intro))
                .output(S3Fixture.uri("published/g.mp3"))
                .timeouts(new JobTimeouts(null, 86_400L, null, null, null, null, Integer.MAX_VALUE))
                .build(),
            "published/g.mp3");
    assertEquals(FailureType.LIMIT_EXCEEDED.type(), greedy.getType());
    assertTrue(
        greedy
            .getOriginalMessage()
            .contains("timeouts.hostAttempts 2147483647 is more than the limit of 5"),
        greedy.getOriginalMessage());

    ApplicationFailure hls =
        fails(
            ConcatRequest.builder("playlist")
                .segments(List.of(intro, playlist))
                .output(S3Fixture.uri("published/playlist.mp3"))
                .build(),
            "published/playlist.mp3");
    assertEquals(FailureType.INVALID_SEGMENT.type(), hls.getType());
    assertTrue(
        hls.getOriginalMessage()
            .contains("segment 1 (" + playlist + ") is not usable audio: it is hls"),
        hls.getOriginalMessage());
    assertEquals(1, stack.jobs().status("playlist").attempt(), "one run, no retry");

    assertFalse(
        Files.exists(worker.workDir().resolve("jobs").resolve("playlist")),
        "the job's files are gone");
  }

  private static ApplicationFailure fails(ConcatRequest request, String outputKey) {
    long started = System.nanoTime();
    stack.jobs().start(request);
    WorkflowFailedException failed =
        stack.jobs().awaitFailure(request.jobId(), FAILS_WITHIN.plusSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    ApplicationFailure failure =
        assertInstanceOf(ApplicationFailure.class, failed.getCause(), failed::toString);
    ConcatStatus status = stack.jobs().status(request.jobId());
    Reliability.record(
        "trust-boundary",
        "case",
        request.jobId(),
        "type",
        failure.getType(),
        "attempt",
        status.attempt(),
        "fail_seconds",
        took);
    assertTrue(failure.isNonRetryable(), failure::toString);
    assertEquals(JobState.FAILED, status.state(), status::toString);
    if (outputKey != null) {
      assertFalse(stack.s3().exists(outputKey), "nothing uploaded to " + outputKey);
    }
    assertTrue(took.compareTo(FAILS_WITHIN) <= 0, "failed after " + took);
    return failure;
  }

  private static String put(String key, byte[] bytes) {
    stack
        .s3()
        .client()
        .putObject(b -> b.bucket(S3Fixture.BUCKET).key(key), RequestBody.fromBytes(bytes));
    return S3Fixture.uri(key);
  }
}
