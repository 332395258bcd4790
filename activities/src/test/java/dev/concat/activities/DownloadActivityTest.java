package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.storage.IndexRanges;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.DownloadCheckpoint;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DownloadActivityTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;
  Path audio;

  @BeforeEach
  void start() {
    s3.store().reset();
    audio = SampleAudio.sine(temp.resolve("s.mp3"), 0.5, 440);
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void retryResumesFromTheHeartbeatAndSkipsSegmentsAlreadyOnDisk() {
    List<String> segments = eightSegments("resume");
    var lastCheckpoint = new AtomicReference<DownloadCheckpoint>();
    harness.env().setActivityHeartbeatListener(DownloadCheckpoint.class, lastCheckpoint::set);
    s3.store().failGetsOf("resume/5.mp3");

    var first =
        assertThrows(
            ActivityFailure.class,
            () -> harness.stub().download(new DownloadInput("resume", segments)));
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, first.getCause());
    assertFalse(cause.isNonRetryable(), "a server error must be retried: " + cause);
    assertTrue(
        cause.getOriginalMessage().contains("segment 5 (s3://media/resume/5.mp3)"),
        cause.getOriginalMessage());

    DownloadCheckpoint checkpoint = lastCheckpoint.get();
    BitSet checkpointed = IndexRanges.parse(checkpoint.completed());
    assertTrue(!checkpointed.isEmpty() && !checkpointed.get(5), checkpoint.toString());
    long onDisk = segmentFiles("resume");
    assertTrue(
        onDisk >= checkpointed.cardinality() && onDisk < 8, onDisk + " files after the failure");
    s3.store().reset();
    harness.env().setHeartbeatDetails(checkpoint);

    DownloadResult result = harness.stub().download(new DownloadInput("resume", segments));

    assertEquals(8 - onDisk, s3.store().gets(), "GETs on the retry after " + checkpoint);
    assertEquals(8, result.segments());
    assertEquals(8 * audio.toFile().length(), result.bytes());
    assertTrue(result.seconds() >= checkpoint.seconds());
  }

  @Test
  void rerunOnTheSameHostReusesItsSegmentsButNotAnotherListsOnes() {
    List<String> segments = eightSegments("rerun");
    harness.stub().download(new DownloadInput("rerun", segments));
    s3.store().reset();

    harness.stub().download(new DownloadInput("rerun", segments));
    assertEquals(0, s3.store().gets(), "a new download activity of the same job keeps the files");

    harness.stub().download(new DownloadInput("rerun", segments.subList(0, 3)));
    assertEquals(3, s3.store().gets(), "another segment list under the same job id starts afresh");
    assertEquals(3, segmentFiles("rerun"));
  }

  @Test
  void missingObjectIsAnInvalidSegmentNamingIndexAndKey() {
    List<String> segments =
        List.of(s3.put("missing/0.mp3", audio), "s3://media/missing/never-uploaded.mp3");

    ApplicationFailure failure =
        failureOf(() -> harness.stub().download(new DownloadInput("missing", segments)));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .contains("job missing: segment 1 (s3://media/missing/never-uploaded.mp3)"),
        failure.getOriginalMessage());
  }

  @Test
  void missingBucketIsReportedAsSuch() {
    ApplicationFailure failure =
        failureOf(
            () ->
                harness
                    .stub()
                    .download(new DownloadInput("nobucket", List.of("s3://no-such-bucket/a.mp3"))));

    assertEquals(FailureType.MISSING_BUCKET.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure.getOriginalMessage().contains("no-such-bucket"), failure.getOriginalMessage());
  }

  @Test
  void missingOutputBucketFailsTheJobBeforeAnyGet() {
    List<String> segments = List.of(s3.put("nooutput/0.mp3", audio));

    ApplicationFailure failure =
        failureOf(
            () ->
                harness
                    .stub()
                    .download(
                        new DownloadInput(
                            "nooutput", segments, "s3://no-such-output/ep.mp3", null)));

    assertEquals(FailureType.MISSING_BUCKET.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .contains(
                "job nooutput: output s3://no-such-output/ep.mp3: bucket 'no-such-output' does not exist"),
        failure.getOriginalMessage());
    assertEquals(0, s3.store().gets(), "no segment fetched for a job that cannot deliver");
  }

  @Test
  void zeroByteSegmentIsInvalid() {
    List<String> segments = List.of(s3.put("empty/0.mp3", new byte[0]));

    ApplicationFailure failure =
        failureOf(() -> harness.stub().download(new DownloadInput("empty", segments)));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("segment 0 (s3://media/empty/0.mp3) is empty"),
        failure.getOriginalMessage());
    assertFalse(Files.exists(harness.jobDir("empty").resolve("segments/00000.mp3")));
  }

  @Test
  void malformedRequestsAreRejectedBeforeAnyIo() {
    ApplicationFailure badUri =
        failureOf(() -> harness.stub().download(new DownloadInput("j1", List.of("http://x/y"))));
    ApplicationFailure badJob =
        failureOf(
            () ->
                harness.stub().download(new DownloadInput("../etc", List.of("s3://media/a.mp3"))));
    ApplicationFailure empty =
        failureOf(() -> harness.stub().download(new DownloadInput("j2", List.of())));

    for (ApplicationFailure failure : List.of(badUri, badJob, empty)) {
      assertEquals(FailureType.INVALID_REQUEST.type(), failure.getType());
      assertTrue(failure.isNonRetryable());
    }
    assertTrue(badUri.getOriginalMessage().contains("segment 0"), badUri.getOriginalMessage());
    assertEquals(0, s3.store().gets());
    assertFalse(Files.exists(temp.resolve("etc")));
  }

  private List<String> eightSegments(String prefix) {
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      segments.add(s3.put(prefix + "/" + i + ".mp3", audio));
    }
    return segments;
  }

  private long segmentFiles(String jobId) {
    try (var files = Files.list(harness.jobDir(jobId).resolve("segments"))) {
      return files.filter(f -> f.toString().endsWith(".mp3")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ApplicationFailure failureOf(Runnable call) {
    var failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }
}
