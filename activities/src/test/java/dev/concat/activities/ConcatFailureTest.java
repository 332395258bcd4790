package dev.concat.activities;

import static dev.concat.activities.DownloadActivityTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input found by ffprobe, and a host that lost the job's files. */
class ConcatFailureTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;
  String good;

  @BeforeEach
  void start() {
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10));
    good = s3.put("bad/good.mp3", SampleAudio.sine(temp.resolve("good.mp3"), 1.0, 440));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void randomBytesNamedMp3AreAnInvalidSegment() {
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    String corrupt = s3.put("bad/corrupt.mp3", noise);

    ApplicationFailure failure = concatFails("corrupt", List.of(good, corrupt));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    String message = failure.getOriginalMessage();
    assertTrue(
        message.startsWith(
            "job corrupt: segment 1 (s3://media/bad/corrupt.mp3) is not usable audio"),
        message);
  }

  @Test
  void aTextFileIsAnInvalidSegmentWithFfmpegsReason() {
    String text =
        s3.put("bad/notes.mp3", "intro: thank the sponsor\n".getBytes(StandardCharsets.UTF_8));

    ApplicationFailure failure = concatFails("text", List.of(text, good));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    String message = failure.getOriginalMessage();
    assertTrue(message.startsWith("job text: segment 0 (s3://media/bad/notes.mp3)"), message);
    assertTrue(message.contains("Invalid argument"), "FFmpeg's own words: " + message);
  }

  @Test
  void lostWorkDirectoryAsksForTheJobToRestart() {
    var jobs = harness.stub();
    jobs.download(new DownloadInput("lost", List.of(good)));
    assertTrue(harness.host().workDirs().job("lost").delete());

    ApplicationFailure failure =
        failureOf(
            () ->
                jobs.concat(
                    new ConcatInput("lost", List.of(good), "s3://media/bad/out.mp3", false)));

    assertEquals(FailureType.WORK_DIR_LOST.type(), failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("segment 0 (s3://media/bad/good.mp3)"),
        failure.getOriginalMessage());
  }

  @Test
  void unsupportedOutputFormatIsAnInvalidRequest() {
    ApplicationFailure failure =
        failureOf(
            () ->
                harness
                    .stub()
                    .concat(
                        new ConcatInput("ogg", List.of(good), "s3://media/bad/out.ogg", false)));

    assertEquals(FailureType.INVALID_REQUEST.type(), failure.getType());
    assertTrue(failure.getOriginalMessage().contains("[.mp3, .m4a]"), failure.getOriginalMessage());
  }

  private ApplicationFailure concatFails(String jobId, List<String> segments) {
    var jobs = harness.stub();
    jobs.download(new DownloadInput(jobId, segments));
    ApplicationFailure failure =
        failureOf(
            () ->
                jobs.concat(
                    new ConcatInput(jobId, segments, "s3://media/bad/" + jobId + ".mp3", false)));
    assertFalse(
        Files.exists(harness.jobDir(jobId).resolve("output.mp3")), "no output for bad input");
    return failure;
  }
}
