package dev.concat.activities;

import static dev.concat.activities.DownloadActivityTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobActivities;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.SilenceTrim;
import dev.concat.contract.policy.OperatorPolicy;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client could once make a worker do with a job, on the real paths: real S3 over HTTP, real
 * FFmpeg. Each attack fails with a non-retryable type naming the segment or URI, and leaves no work
 * files.
 */
class TrustBoundaryTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private JobActivities jobs(OperatorPolicy policy, long ffmpegMaxMemory) {
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")).withLimits(policy, ffmpegMaxMemory),
            s3,
            Duration.ofSeconds(30));
    return harness.stub();
  }

  private static OperatorPolicy shows() {
    return OperatorPolicy.withLocations("s3://media/shows/", "s3://media/published/");
  }

  @Test
  void aSegmentOutsideTheAllowedInputsFailsBeforeAnyGet() {
    String mine =
        s3.put("shows/ep/intro.mp3", SampleAudio.sine(temp.resolve("intro.mp3"), 1.0, 440));
    String private_ =
        s3.put("private/payroll.mp3", SampleAudio.sine(temp.resolve("p.mp3"), 1.0, 440));
    s3.store().reset();

    ApplicationFailure failure =
        failureOf(
            () ->
                jobs(shows(), 0)
                    .download(
                        new DownloadInput(
                            "steal",
                            List.of(mine, private_),
                            "s3://media/published/ep.mp3",
                            null)));

    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(
        "job steal: segment 1 s3://media/private/payroll.mp3 is outside the allowed locations "
            + "(CONCAT_ALLOWED_INPUTS (--allowed-inputs) = s3://media/shows/)",
        failure.getOriginalMessage());
    assertEquals(0, s3.store().gets(), "no object was read");
    assertFalse(Files.exists(harness.jobDir("steal")), "no work directory");
  }

  @Test
  void anOutputOutsideTheAllowedOutputsFailsTheDownloadAndTheUpload() {
    String mine =
        s3.put("shows/ep/intro.mp3", SampleAudio.sine(temp.resolve("intro.mp3"), 1.0, 440));
    JobActivities jobs = jobs(shows(), 0);
    s3.store().reset();

    ApplicationFailure atDownload =
        failureOf(
            () ->
                jobs.download(
                    new DownloadInput(
                        "overwrite", List.of(mine), "s3://media/shows/ep/intro.mp3", null)));
    ApplicationFailure atUpload =
        failureOf(() -> jobs.upload(new UploadInput("overwrite", "s3://other-bucket/episode.mp3")));

    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), atDownload.getType());
    assertTrue(
        atDownload
            .getOriginalMessage()
            .contains(
                "output s3://media/shows/ep/intro.mp3 is outside the allowed "
                    + "locations (CONCAT_ALLOWED_OUTPUTS (--allowed-outputs) = s3://media/published/)"),
        atDownload.getMessage());
    assertEquals(FailureType.LOCATION_NOT_ALLOWED.type(), atUpload.getType());
    assertEquals(0, s3.store().gets());
  }

  @Test
  void segmentsHoldingMoreBytesThanTheCeilingFailBeforeAnyGet() {
    String a = s3.put("big/a.mp3", SampleAudio.sine(temp.resolve("a.mp3"), 3.0, 440));
    String b = s3.put("big/b.mp3", SampleAudio.sine(temp.resolve("b.mp3"), 3.0, 550));
    OperatorPolicy policy = new OperatorPolicy("*", "*", 100, 10_000, 3600, 3600, 60, 3);
    s3.store().reset();

    ApplicationFailure failure =
        failureOf(() -> jobs(policy, 0).download(new DownloadInput("big", List.of(a, b))));

    assertEquals(FailureType.LIMIT_EXCEEDED.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .matches(
                "job big: the segments' \\d+ bytes is more than the limit of "
                    + "10000 set by CONCAT_MAX_INPUT_BYTES \\(--max-input-bytes\\)"),
        failure.getOriginalMessage());
    assertEquals(0, s3.store().gets(), "refused from the HEADs' sizes, before any GET");
  }

  @Test
  void anHlsPlaylistNamedMp3IsAnInvalidSegmentAndNoLocalFileIsRead() throws Exception {
    Path secret = SampleAudio.sine(temp.resolve("secret.mp3"), 2.0, 880);
    String playlist =
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile:" + secret + "\n#EXT-X-ENDLIST\n";
    String intro = s3.put("hls/intro.mp3", SampleAudio.sine(temp.resolve("intro.mp3"), 1.0, 440));
    String evil = s3.put("hls/evil.mp3", playlist.getBytes(StandardCharsets.UTF_8));

    ApplicationFailure failure = concatFails("hls", List.of(intro, evil), AudioSpec.DEFAULT);

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .startsWith(
                "job hls: segment 1 (s3://media/hls/evil.mp3) is not usable "
                    + "audio: it is hls, not an audio format concat reads"),
        failure.getOriginalMessage());
  }

  @Test
  void aConcatScriptNamedMp3IsAnInvalidSegment() throws Exception {
    Path secret = SampleAudio.sine(temp.resolve("secret.mp3"), 2.0, 880);
    String script = "ffconcat version 1.0\nfile '" + secret + "'\n";
    String intro =
        s3.put("script/intro.mp3", SampleAudio.sine(temp.resolve("intro.mp3"), 1.0, 440));
    String evil = s3.put("script/evil.mp3", script.getBytes(StandardCharsets.UTF_8));

    ApplicationFailure failure = concatFails("script", List.of(intro, evil), AudioSpec.DEFAULT);

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(
        failure
            .getOriginalMessage()
            .startsWith(
                "job script: segment 1 (s3://media/script/evil.mp3) is not "
                    + "usable audio: it is concat, not an audio format"),
        failure.getOriginalMessage());
  }

  @Test
  void aTinyFlacOfLongAudioFailsAgainstTheDecodedCeilingBeforeAnyDecode() throws Exception {
    String bomb = s3.put("bomb/long.flac", constantFlac(temp.resolve("long.flac"), 2400));
    OperatorPolicy policy = new OperatorPolicy("*", "*", 100, 1L << 30, 1800, 3600, 60, 3);

    ApplicationFailure failure = concatFails("bomb", List.of(bomb), AudioSpec.DEFAULT, policy, 0);

    assertEquals(FailureType.LIMIT_EXCEEDED.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(
        "job bomb: the segments' decoded audio (2400 s) is more than the limit of 1800 set by "
            + "CONCAT_MAX_DECODED_SECONDS (--max-decoded-seconds)",
        failure.getOriginalMessage());
    assertFalse(Files.exists(harness.jobDir("bomb")), "the failed attempt's files are gone");
  }

  @Test
  void aSegmentThatNeedsMoreMemoryThanTheCeilingFailsAsOutOfMemory() throws Exception {
    // Trimming holds a whole segment in memory to find its trailing silence: 40 minutes of a
    // constant level (no silence to drop) from a 400 KB FLAC need more than 512 MiB.
    String bomb = s3.put("oom/long.flac", constantFlac(temp.resolve("long.flac"), 2400));
    AudioSpec trim = new AudioSpec(null, null, SilenceTrim.DEFAULTS, 0, 0, null, List.of());

    ApplicationFailure failure =
        concatFails("oom", List.of(bomb), trim, OperatorPolicy.anywhere(), 512L << 20);

    assertEquals(FailureType.FFMPEG_OUT_OF_MEMORY.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure.getOriginalMessage().contains("CONCAT_FFMPEG_MAX_MEMORY"),
        failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains("Cannot allocate memory"),
        failure.getOriginalMessage());
    assertFalse(Files.exists(harness.jobDir("oom")));
  }

  private ApplicationFailure concatFails(String jobId, List<String> segments, AudioSpec audio) {
    return concatFails(
        jobId,
        segments,
        audio,
        OperatorPolicy.anywhere(),
        ActivitySettings.DEFAULT_FFMPEG_MAX_MEMORY);
  }

  private ApplicationFailure concatFails(
      String jobId, List<String> segments, AudioSpec audio, OperatorPolicy policy, long maxMemory) {
    JobActivities jobs = jobs(policy, maxMemory);
    jobs.download(new DownloadInput(jobId, segments));
    ApplicationFailure failure =
        failureOf(
            () ->
                jobs.concat(
                    new ConcatInput(
                        jobId, segments, "s3://media/out/" + jobId + ".mp3", false, audio)));
    // A failed attempt leaves the directory to the workflow's cleanup, which this is.
    jobs.cleanup(jobId);
    return failure;
  }

  /**
   * A constant level compresses to almost nothing in FLAC: 40 minutes of stereo in about 400 KB.
   */
  private static Path constantFlac(Path file, int seconds) {
    Command.stdout(
        List.of(
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=44100:cl=stereo:d=" + seconds,
            "-af",
            "dcshift=0.5",
            "-c:a",
            "flac",
            file.toString()));
    return file;
  }
}
