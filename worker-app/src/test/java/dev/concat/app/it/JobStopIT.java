package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job stopped mid-concat, by an operator's cancel or by its maximum processing time, stops its
 * FFmpeg at once and leaves nothing: no process, no work files, no object, no multipart upload.
 */
@Timeout(120)
class JobStopIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  private static final Duration REACH_CONCAT = Duration.ofSeconds(60);

  @Test
  void cancellingMidConcatStopsFfmpegWithinSecondsAndLeavesNothing() {
    AudioSet audio = AudioSet.sines(6, 5.0);
    String jobId = "cancel-mid-concat";
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
            jobId, "concatenating", s -> s.state() == JobState.CONCATENATING, REACH_CONCAT);
    Orphans.awaitFfmpeg(worker.workDir(), Duration.ofSeconds(10));

    long cancelled = System.nanoTime();
    stack.jobs().cancel(jobId);
    Duration ffmpegGone = Orphans.awaitNone(worker.workDir(), Duration.ofSeconds(15));
    WorkflowFailedException failure = stack.jobs().awaitFailure(jobId, Duration.ofSeconds(30));
    Duration closed = Reliability.since(cancelled);

    assertInstanceOf(CanceledFailure.class, failure.getCause(), () -> "cancelled, not " + failure);
    assertTrue(
        ffmpegGone.compareTo(Duration.ofSeconds(3)) <= 0, "FFmpeg took " + ffmpegGone + " to stop");
    ConcatStatus status = stack.jobs().status(jobId);
    assertEquals(
        JobState.CANCELLED, status.state(), () -> "status of the closed workflow: " + status);
    assertNothingLeft(worker, outputKey);
    Reliability.record(
        "operator-cancel",
        "ffmpeg_stopped_seconds",
        ffmpegGone,
        "job_closed_seconds",
        closed,
        "state",
        status.state());
  }

  @Test
  void aJobPastItsMaximumProcessingTimeFailsClearlyAndLeavesNothing() {
    AudioSet audio = AudioSet.sines(6, 5.0);
    String jobId = "past-deadline";
    String outputKey = "out/" + jobId + ".mp3";
    long maxSeconds = 8;
    WorkerJvm worker = stack.startWorker("A", stack.slowFfmpeg());
    var timeouts = new JobTimeouts(maxSeconds, null, null, null, null, null, null);
    List<String> segments = audio.upload(stack.s3(), jobId);
    long submitted = System.nanoTime();
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(segments)
                .output(S3Fixture.uri(outputKey))
                .allowStreamCopy(false)
                .timeouts(timeouts)
                .build());
    stack
        .jobs()
        .awaitStatus(
            jobId, "concatenating", s -> s.state() == JobState.CONCATENATING, REACH_CONCAT);
    Orphans.awaitFfmpeg(worker.workDir(), Duration.ofSeconds(10));

    WorkflowFailedException failure = stack.jobs().awaitFailure(jobId, Duration.ofSeconds(60));
    Duration failedAfter = Reliability.since(submitted);
    List<Orphans.Proc> runningAtFailure = Orphans.processes(worker.workDir());

    ApplicationFailure cause =
        assertInstanceOf(ApplicationFailure.class, failure.getCause(), failure::toString);
    assertEquals("MaxProcessingTimeExceeded", cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains("job " + jobId)
            && cause
                .getOriginalMessage()
                .contains("maximum processing time of " + maxSeconds + " s"),
        cause.getOriginalMessage());
    assertEquals(
        List.of(), runningAtFailure, "FFmpeg is stopped before the job is reported failed");
    ConcatStatus status = stack.jobs().status(jobId);
    assertEquals(JobState.FAILED, status.state(), status::toString);
    assertNothingLeft(worker, outputKey);
    Reliability.record(
        "max-processing-time",
        "limit_seconds",
        maxSeconds,
        "failed_after_seconds",
        failedAfter,
        "past_limit_seconds",
        failedAfter.minusSeconds(maxSeconds),
        "state",
        status.state());
  }

  private static void assertNothingLeft(WorkerJvm worker, String outputKey) {
    assertEquals(
        List.of(), Orphans.processes(worker.workDir()), "no FFmpeg or wrapper left running");
    assertEquals(
        List.of(), Orphans.leftoverFiles(worker.workDir()), "the job's work files are deleted");
    assertFalse(stack.s3().exists(outputKey), "nothing is uploaded to " + outputKey);
    assertEquals(List.of(), stack.s3().inProgressUploads(), "no multipart upload is left open");
    assertTrue(worker.isAlive(), "the worker keeps running");
  }
}
