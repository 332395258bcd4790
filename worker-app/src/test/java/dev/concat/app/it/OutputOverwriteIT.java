package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.testkit.WorkerJvm;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12's overwrite attack through a real worker and Temporal: a job naming a published episode
 * as its output fails with OutputExists before it downloads anything, and leaves the episode, the
 * worker's disk and the bucket as they were; with "overwrite": true it replaces it.
 */
@Timeout(120)
class OutputOverwriteIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @Test
  void aJobNamingSomeoneElsesObjectFailsBeforeAnyDownloadAndLeavesItUntouched() {
    AudioSet audio = AudioSet.sines(3, 2.0);
    String published = "published/episode-60s.mp3";
    stack.s3().put(published, audio.files().get(0));
    String etag = etag(published);
    List<String> segments = audio.upload(stack.s3(), "attack");
    WorkerJvm worker = stack.startWorker("A");
    stack.s3().resetCounts();

    long submitted = System.nanoTime();
    stack
        .jobs()
        .start(
            ConcatRequest.builder("overwrite-attack")
                .segments(segments)
                .output(S3Fixture.uri(published))
                .build());
    WorkflowFailedException failure =
        stack.jobs().awaitFailure("overwrite-attack", Duration.ofSeconds(60));
    Duration failedAfter = Reliability.since(submitted);

    ApplicationFailure cause =
        assertInstanceOf(ApplicationFailure.class, failure.getCause(), failure::toString);
    assertEquals("OutputExists", cause.getType(), cause.getOriginalMessage());
    assertTrue(
        cause.getOriginalMessage().contains(S3Fixture.uri(published))
            && cause.getOriginalMessage().contains("\"overwrite\": true"),
        cause.getOriginalMessage());
    ConcatStatus status = stack.jobs().status("overwrite-attack");
    assertEquals(JobState.FAILED, status.state());
    assertEquals(1, status.attempt(), "not retried on other hosts");
    assertEquals(0, stack.s3().gets(), "no segment was downloaded");
    assertEquals(etag, etag(published), "the published episode is untouched");
    assertEquals(List.of(), stack.s3().inProgressUploads());
    assertEquals(
        List.of(), Orphans.leftoverFiles(worker.workDir()), "nothing left on the worker's disk");
    Reliability.record(
        "overwrite-attack",
        "failed_after_seconds",
        failedAfter,
        "type",
        cause.getType(),
        "attempts",
        status.attempt(),
        "segment_gets",
        stack.s3().gets());
  }

  @Test
  void withOverwriteTheJobReplacesItAndMarksItsOwnOutput() {
    AudioSet audio = AudioSet.sines(3, 2.0);
    String published = "published/episode-replaced.mp3";
    stack.s3().put(published, audio.files().get(0));
    List<String> segments = audio.upload(stack.s3(), "replace");
    stack.startWorker("A");

    stack
        .jobs()
        .start(
            ConcatRequest.builder("overwrite-allowed")
                .segments(segments)
                .output(S3Fixture.uri(published))
                .overwrite(true)
                .build());
    ConcatResult result = stack.jobs().awaitResult("overwrite-allowed", Duration.ofSeconds(90));

    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.05);
    var head = stack.s3().client().headObject(b -> b.bucket(S3Fixture.BUCKET).key(published));
    assertEquals(result.sizeBytes(), head.contentLength());
    assertEquals("overwrite-allowed", head.metadata().get("concat-job-id"));
  }

  private static String etag(String key) {
    return stack.s3().client().headObject(b -> b.bucket(S3Fixture.BUCKET).key(key)).eTag();
  }
}
