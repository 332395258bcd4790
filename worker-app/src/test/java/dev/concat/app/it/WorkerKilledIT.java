package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.app.it.Orphans.Proc;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed outright (kill -9): its job is noticed, run again and completed, and its
 * leftovers go; restarted on the same host, it resumes the download and keeps the finished chunks
 * of a chunked encode.
 */
@Timeout(150)
class WorkerKilledIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  /**
   * With the default 15 s heartbeat timeout: worker A dies while its (slowed) FFmpeg joins; the
   * FFmpeg dies with it, worker B finishes the job, and A, started again on the same directory,
   * deletes what the killed run left. Whether FFmpeg died is asserted last, so a survivor does not
   * hide how the rest went.
   */
  @Test
  void aJobWhoseWorkerIsKilledMidConcatCompletesOnAnotherWorker() {
    AudioSet audio = AudioSet.sines(6, 5.0);
    String jobId = "killed-mid-concat";
    String outputKey = "out/" + jobId + ".mp3";
    WorkerJvm a = stack.startWorker("A", stack.slowFfmpeg());
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
            "concatenating on A",
            s -> s.state() == JobState.CONCATENATING && a.identity().equals(s.worker()),
            Duration.ofSeconds(60));
    Proc ffmpeg = Orphans.awaitFfmpeg(a.workDir(), Duration.ofSeconds(10));
    WorkerJvm b = stack.startWorker("B");
    assertEquals(
        JobState.CONCATENATING,
        stack.jobs().status(jobId).state(),
        "A is still joining when it is killed");
    assertTrue(
        ProcessHandle.of(ffmpeg.pid()).map(ProcessHandle::isAlive).orElse(false),
        "A's FFmpeg runs");

    long killed = System.nanoTime();
    a.kill9();
    Orphans.Survivors ffmpegAfterKill =
        Orphans.awaitNoneOrReport(a.workDir(), Duration.ofSeconds(5));
    ConcatStatus moved =
        stack
            .jobs()
            .awaitStatus(
                jobId,
                "running again on B",
                s -> s.attempt() >= 2 && b.identity().equals(s.worker()),
                Duration.ofSeconds(60));
    Duration detected = Reliability.since(killed);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(60));
    Duration completed = Reliability.since(killed);

    ConcatStatus done = stack.jobs().status(jobId);
    assertEquals(JobState.COMPLETED, done.state(), done::toString);
    assertEquals(b.identity(), done.worker(), "B finished the job");
    assertNotEquals(a.identity(), done.worker());
    assertTrue(
        moved.lastError() != null && moved.lastError().contains("heartbeat"),
        () -> "the lost attempt is reported: " + moved.lastError());
    double decoded = assertLastsAsLongAsItsSegments(audio, result, outputKey);
    assertFalse(
        Orphans.leftoverFiles(a.workDir()).isEmpty(),
        "the killed run left its files (the sweep has work)");

    long restarted = System.nanoTime();
    WorkerJvm again = stack.startWorker("A", stack.slowFfmpeg());
    Orphans.awaitNoLeftoverFiles(a.workDir(), Duration.ofSeconds(15));
    Duration swept = Reliability.since(restarted);
    again.awaitLog("job=" + jobId + " deleted the work directory", Duration.ofSeconds(5));
    Reliability.record(
        "worker-killed",
        "heartbeat_timeout_seconds",
        15,
        "ffmpeg_gone_seconds",
        ffmpegAfterKill.none() ? ffmpegAfterKill.waited() : "survived",
        "detect_seconds",
        detected,
        "complete_seconds",
        completed,
        "attempts",
        done.attempt(),
        "duration_error_seconds",
        Math.abs(decoded - audio.totalSeconds()),
        "restart_to_stale_dir_deleted_seconds",
        swept);
    assertTrue(
        ffmpegAfterKill.none(),
        () ->
            "A's FFmpeg outlived A by more than 5 s (FFMPEG_PATH is a wrapper "
                + "that runs FFmpeg as its child): "
                + ffmpegAfterKill.left());
  }

  /**
   * The only worker is killed halfway through a slow download and started again on the same
   * directory (the same host): the job completes and the segments already on disk are not fetched
   * again.
   */
  @Test
  void aWorkerKilledMidDownloadResumesItAfterARestartOnTheSameHost() {
    int segments = 40;
    AudioSet audio = AudioSet.sines(segments, 1.0);
    String jobId = "killed-mid-download";
    String outputKey = "out/" + jobId + ".mp3";
    List<String> uris = audio.upload(stack.s3(), jobId);
    stack.s3().resetCounts();
    stack.s3().delayGets(Duration.ofMillis(250));
    Map<String, String> oneGetAtATime = Map.of("CONCAT_DOWNLOAD_PARALLELISM", "1");
    WorkerJvm a = stack.startWorker("A", oneGetAtATime);
    var timeouts = new JobTimeouts(null, 5L, null, null, null, null, null);
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(uris)
                .output(S3Fixture.uri(outputKey))
                .allowStreamCopy(false)
                .timeouts(timeouts)
                .build());
    Path segmentsDir = a.workDir().resolve("jobs").resolve(jobId).resolve("segments");
    WholeFiles.await(segmentsDir, ".mp3", segments / 2, Duration.ofSeconds(60));

    a.kill9();
    int onDisk = WholeFiles.count(segmentsDir, ".mp3");
    int getsBeforeKill = stack.s3().gets();
    long killed = System.nanoTime();
    WorkerJvm again = stack.startWorker("A", oneGetAtATime);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);
    int gets = stack.s3().gets();

    assertLastsAsLongAsItsSegments(audio, result, outputKey);
    assertEquals(again.identity(), stack.jobs().status(jobId).worker());
    // The lost attempt's heartbeat details reached the restarted host through the workflow.
    again.awaitLog(
        "job "
            + jobId
            + ": resuming download, \\d+ of "
            + segments
            + " segments already on disk \\([1-9]\\d* in the checkpoint\\)",
        Duration.ofSeconds(1));
    assertTrue(
        gets < segments + 3,
        () ->
            gets
                + " GETs for "
                + segments
                + " segments ("
                + onDisk
                + " were on disk when the worker was killed): the download started over instead of resuming");
    Reliability.record(
        "worker-killed-mid-download",
        "segments",
        segments,
        "on_disk_at_kill",
        onDisk,
        "gets_before_kill",
        getsBeforeKill,
        "gets_total",
        gets,
        "gets_repeated",
        gets - segments,
        "complete_seconds",
        completed);
  }

  /**
   * The only worker is killed while its chunked MP3 encode is half done (the chunk encoders slowed
   * by a wrapper) and started again on the same directory: the job completes, the restarted worker
   * neither decodes the join again nor encodes the chunks the killed one finished.
   */
  @Test
  void aWorkerKilledMidChunkedEncodeKeepsItsFinishedChunksAfterARestartOnTheSameHost()
      throws IOException {
    AudioSet audio = AudioSet.sines(8, 30.0);
    String jobId = "killed-mid-chunks";
    String outputKey = "out/" + jobId + ".mp3";
    Map<String, String> env = new HashMap<>(stack.slowFfmpeg());
    env.put("FFMPEG_PATH", slowChunkEncoders().toString());
    env.put("CONCAT_CHUNK_MIN_SECONDS", "60");
    WorkerJvm a = stack.startWorker("A", env);
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey))
                .allowStreamCopy(false)
                .timeouts(new JobTimeouts(null, 5L, null, null, null, null, null))
                .build());
    Path jobDir = a.workDir().resolve("jobs").resolve(jobId);
    int finished = WholeFiles.await(jobDir.resolve("chunks"), ".mp3", 2, Duration.ofSeconds(60));
    // The chunks start while the join is still decoded; the decode is whole soon after.
    WholeFiles.await(jobDir, ".wav.whole", 1, Duration.ofSeconds(30));

    a.kill9();
    long killed = System.nanoTime();
    WorkerJvm again = stack.startWorker("A", env);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);

    assertLastsAsLongAsItsSegments(audio, result, outputKey);
    assertEquals(again.identity(), stack.jobs().status(jobId).worker());
    again.awaitLog(
        "job "
            + jobId
            + ": kept the earlier attempt's decode of the join to PCM in [\\d.]+ s, encoded it in 4"
            + " chunks \\([1-9]\\d* kept from an earlier attempt or job",
        Duration.ofSeconds(1));
    Reliability.record(
        "worker-killed-mid-chunks",
        "chunks",
        4,
        "whole_at_kill",
        finished,
        "complete_seconds",
        completed);
  }

  /**
   * FFmpeg, a chunk encoder (the one command that writes no ID3 tag) first waiting 1.5 s, so the
   * test can kill the worker between chunks.
   */
  private Path slowChunkEncoders() throws IOException {
    return DelayedFfmpeg.script(downloads, "slow-chunks-ffmpeg.sh", "*'-id3v2_version 0'*", "1.5");
  }

  /** The result reports the segments' total duration, and the uploaded object decodes to it. */
  private double assertLastsAsLongAsItsSegments(
      AudioSet audio, ConcatResult result, String outputKey) {
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    double decoded =
        SampleAudio.decodedSeconds(stack.s3().download(outputKey, downloads.resolve("out.mp3")));
    assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
    return decoded;
  }
}
