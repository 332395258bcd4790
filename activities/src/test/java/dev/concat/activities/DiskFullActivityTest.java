package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.activities.testing.Tmpfs;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.HostActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work directory on a real 8 MiB tmpfs: a job that does not fit fails at once as {@code
 * InsufficientDisk}, before the GETs or before FFmpeg, with its files deleted, and this host's
 * claim then refuses the job so the workflow's rerun reaches another worker; a chunked join whose
 * PCM does not fit is encoded in one pass instead.
 */
class DiskFullActivityTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  Tmpfs disk;
  JobActivitiesHarness harness;

  @BeforeEach
  void start() {
    s3.store().reset();
    disk = Tmpfs.mount(temp.resolve("work"), "8m");
    harness =
        new JobActivitiesHarness(TestSettings.forWorkDir(disk.dir()), s3, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    harness.close();
    disk.close();
  }

  @Test
  void segmentsThatDoNotFitFailTheDownloadBeforeAnyGetAndLeaveNothing() throws Exception {
    byte[] segment = new byte[2_500_000];
    new Random(7).nextBytes(segment);
    List<String> segments =
        IntStream.range(0, 4).mapToObj(i -> s3.put("big/" + i + ".mp3", segment)).toList();
    long started = System.nanoTime();

    ApplicationFailure failure =
        failureOf(() -> harness.stub().download(new DownloadInput("big", segments)));

    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(FailureType.INSUFFICIENT_DISK.type(), failure.getType());
    assertFalse(failure.isNonRetryable(), "another host may have the room");
    String message = failure.getOriginalMessage();
    assertTrue(
        message.contains("job big: not enough free disk in " + harness.jobDir("big")), message);
    assertTrue(
        message.contains("the job needs 19.1 MiB (9.5 MiB of segments still to download"), message);
    assertTrue(message.contains("moves to another host"), message);
    assertEquals(0, s3.store().gets(), "no GET into a disk that cannot hold the job");
    assertFalse(Files.exists(harness.jobDir("big")), "the job's files are deleted at once");
    assertTrue(seconds < 10, "failed in " + seconds + " s");

    HostActivities claims = harness.hostClaims();
    var refused = assertThrows(ApplicationFailure.class, () -> claims.claimHost("big"));
    assertEquals(FailureType.HOST_UNAVAILABLE.type(), refused.getType());
    assertTrue(
        refused.getOriginalMessage().contains("lacks disk for it"), refused.getOriginalMessage());
    assertEquals(
        TestSettings.HOST_QUEUE,
        claims.claimHost("another-job").taskQueue(),
        "other jobs are welcome");
  }

  @Test
  void decodedAudioThatDoesNotFitFailsTheConcatBeforeFfmpegDecodes() {
    // Two sample rates: the plan decodes each segment to 44.1 kHz stereo PCM first, 10.6 MB a
    // minute.
    Path low = SampleAudio.sine(temp.resolve("low.mp3"), 40, 440, 22050, 1);
    Path high = SampleAudio.sine(temp.resolve("high.mp3"), 40, 440, 44100, 1);
    List<String> segments = List.of(s3.put("pcm/0.mp3", low), s3.put("pcm/1.mp3", high));
    harness.stub().download(new DownloadInput("pcm", segments));

    ApplicationFailure failure =
        failureOf(
            () ->
                harness
                    .stub()
                    .concat(new ConcatInput("pcm", segments, "s3://media/out/pcm.mp3", false)));

    assertEquals(FailureType.INSUFFICIENT_DISK.type(), failure.getType());
    String message = failure.getOriginalMessage();
    assertTrue(message.contains("of decoded PCM for 80 s of audio"), message);
    assertFalse(Files.exists(harness.jobDir("pcm")), "the job's files are deleted at once");
  }

  /**
   * Chunks need the join decoded to PCM first (here 8.8 MB for 50 s of stereo), which this disk
   * cannot hold; one FFmpeg needs only the output's room, so the join is encoded that way.
   */
  @Test
  void aChunkedJoinWhosePcmDoesNotFitIsEncodedInOnePass() throws Exception {
    Path commands = temp.resolve("commands");
    Path ffmpeg = temp.resolve("ffmpeg.sh");
    Files.writeString(ffmpeg, "#!/bin/sh\necho \"$*\" >> " + commands + "\nexec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwx------"));
    var chunking =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(disk.dir(), ffmpeg)
                .withChunkedEncoding(
                    new ChunkedEncoding(Duration.ofSeconds(20), Duration.ofSeconds(5))),
            s3,
            Duration.ofSeconds(10));
    try {
      List<String> segments =
          List.of(
              s3.put("fit/0.mp3", SampleAudio.sine(temp.resolve("a.mp3"), 25, 440, 44100, 1)),
              s3.put("fit/1.mp3", SampleAudio.sine(temp.resolve("b.mp3"), 25, 550, 44100, 1)));
      chunking.stub().download(new DownloadInput("fit", segments));

      ConcatOutput output =
          chunking.stub().concat(new ConcatInput("fit", segments, "s3://media/out/fit.m4a", false));

      assertEquals(50.0, output.durationSeconds(), 0.05);
      List<String> lines = Files.readAllLines(commands);
      assertTrue(lines.stream().noneMatch(line -> line.contains("-f adts")), lines.toString());
      assertTrue(lines.stream().anyMatch(line -> line.contains("-c:a aac")), lines.toString());
    } finally {
      chunking.close();
    }
  }

  @Test
  void aReadOnlyWorkDirectoryIsNamedAsSuchNotRetriedAsAnS3Fault() {
    String segment = s3.put("ro/0.mp3", new byte[1000]);
    try (Tmpfs readOnly = Tmpfs.mountReadOnly(temp.resolve("ro"))) {
      var roHarness =
          new JobActivitiesHarness(
              TestSettings.forWorkDir(readOnly.dir()), s3, Duration.ofSeconds(10));
      try {
        ApplicationFailure failure =
            failureOf(() -> roHarness.stub().download(new DownloadInput("ro", List.of(segment))));

        assertEquals(FailureType.WORK_DIR_UNUSABLE.type(), failure.getType());
        assertFalse(failure.isNonRetryable(), "another host's disk may be fine");
        assertTrue(
            failure.getOriginalMessage().contains("Read-only file system"),
            failure.getOriginalMessage());
        assertEquals(0, s3.store().gets());
      } finally {
        roHarness.close();
      }
    }
  }

  private static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }
}
