package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Tmpfs;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's slow store and full disk, with real worker processes: S3 reached through a relay that
 * trickles each connection's bytes or cuts the link mid-segment, and work directories on a real 8
 * MiB tmpfs.
 */
@Timeout(180)
class TransferFaultsIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  /**
   * Short against the slow segment, yet above a cold worker JVM's first S3 calls on a busy machine.
   */
  private static final long HEARTBEAT_SECONDS = 8;

  private static final JobTimeouts SHORT_HEARTBEAT =
      new JobTimeouts(null, HEARTBEAT_SECONDS, null, null, null, null, null);

  /**
   * A 40 s segment (640 KB) at 24 KB/s takes 27 s: over three heartbeat timeouts, yet the job never
   * times out.
   */
  @Test
  void aSegmentSlowerThanTheHeartbeatTimeoutCompletesWithNoTimeouts() {
    AudioSet audio = AudioSet.sines(1, 40.0);
    String jobId = "slow-s3";
    try (CuttableTcpProxy relay = CuttableTcpProxy.to(stack.s3().endpoint())) {
      relay.throttleDownstream(24_000);
      stack.startWorker("A", Map.of("S3_ENDPOINT", relay.endpoint().toString()));
      long size = audio.files().get(0).toFile().length();
      long submitted = System.nanoTime();
      stack
          .jobs()
          .start(
              ConcatRequest.builder(jobId)
                  .segments(audio.upload(stack.s3(), jobId))
                  .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                  .allowStreamCopy(false)
                  .timeouts(SHORT_HEARTBEAT)
                  .build());

      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(120));
      Duration total = Reliability.since(submitted);

      ConcatStatus done = stack.jobs().status(jobId);
      assertEquals(JobState.COMPLETED, done.state(), done::toString);
      assertEquals(1, done.attempt(), () -> "no timeout, no rerun: " + done);
      assertNull(done.lastError(), done::toString);
      assertTrue(
          result.downloadSeconds() > 3 * HEARTBEAT_SECONDS,
          "the segment took longer than the heartbeat timeout: " + result.downloadSeconds() + " s");
      assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
      Reliability.record(
          "slow-s3-download",
          "bytes_per_second",
          24_000,
          "segment_bytes",
          size,
          "heartbeat_timeout_seconds",
          HEARTBEAT_SECONDS,
          "download_seconds",
          result.downloadSeconds(),
          "attempts",
          done.attempt(),
          "job_total_seconds",
          total);
    }
  }

  /**
   * The link is cut when a third of a 960 KB segment is on disk: the next GET asks only for the
   * rest.
   */
  @Test
  void aSegmentCutMidwayResumesWithARangedGet() throws Exception {
    AudioSet audio = AudioSet.sines(1, 60.0);
    String jobId = "cut-mid-segment";
    try (CuttableTcpProxy relay = CuttableTcpProxy.to(stack.s3().endpoint())) {
      relay.throttleDownstream(100_000);
      WorkerJvm worker = stack.startWorker("A", Map.of("S3_ENDPOINT", relay.endpoint().toString()));
      List<String> uris = audio.upload(stack.s3(), jobId);
      long size = audio.files().get(0).toFile().length();
      stack.s3().resetCounts();
      stack
          .jobs()
          .start(
              ConcatRequest.builder(jobId)
                  .segments(uris)
                  .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                  .allowStreamCopy(false)
                  .timeouts(SHORT_HEARTBEAT)
                  .build());
      Path partial =
          worker
              .workDir()
              .resolve("jobs")
              .resolve(jobId)
              .resolve("segments")
              .resolve("00000.mp3.part");
      long atCut = awaitSize(partial, size / 3, Duration.ofSeconds(30));
      long relayedAtCut = relay.downstreamBytes();
      relay.cut();
      Thread.sleep(1000);
      relay.restore();

      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));

      ConcatStatus done = stack.jobs().status(jobId);
      assertEquals(1, done.attempt(), () -> "the cut was ridden out inside the attempt: " + done);
      List<String> ranges = stack.s3().faults().getRanges();
      assertEquals("whole", ranges.get(0), ranges::toString);
      String resumed = ranges.get(ranges.size() - 1);
      assertTrue(resumed.startsWith("bytes="), () -> "the last GET is ranged: " + ranges);
      long resumedAt = Long.parseLong(resumed.substring("bytes=".length(), resumed.length() - 1));
      assertTrue(
          resumedAt >= atCut,
          "resumed at " + resumedAt + ", " + atCut + " bytes were on disk at the cut");
      long afterCut = relay.downstreamBytes() - relayedAtCut;
      assertTrue(
          afterCut < size - resumedAt + 64 * 1024,
          afterCut
              + " bytes relayed after the cut for the "
              + (size - resumedAt)
              + " still missing");
      assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
      Reliability.record(
          "s3-cut-mid-segment",
          "segment_bytes",
          size,
          "on_disk_at_cut",
          atCut,
          "resumed_at",
          resumedAt,
          "bytes_after_cut",
          afterCut,
          "gets",
          ranges.size(),
          "attempts",
          done.attempt());
    }
  }

  /**
   * The only worker is killed a third into a 960 KB segment and started again on the same host: the
   * next attempt continues the partial file with a ranged GET instead of starting over.
   */
  @Test
  void aWorkerKilledMidSegmentContinuesItWithARangedGetAfterARestart() throws Exception {
    AudioSet audio = AudioSet.sines(1, 60.0);
    String jobId = "killed-mid-segment";
    try (CuttableTcpProxy relay = CuttableTcpProxy.to(stack.s3().endpoint())) {
      relay.throttleDownstream(100_000);
      Map<String, String> viaRelay = Map.of("S3_ENDPOINT", relay.endpoint().toString());
      WorkerJvm worker = stack.startWorker("A", viaRelay);
      List<String> uris = audio.upload(stack.s3(), jobId);
      long size = audio.files().get(0).toFile().length();
      stack.s3().resetCounts();
      stack
          .jobs()
          .start(
              ConcatRequest.builder(jobId)
                  .segments(uris)
                  .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                  .allowStreamCopy(false)
                  .timeouts(SHORT_HEARTBEAT)
                  .build());
      Path partial =
          worker
              .workDir()
              .resolve("jobs")
              .resolve(jobId)
              .resolve("segments")
              .resolve("00000.mp3.part");
      awaitSize(partial, size / 3, Duration.ofSeconds(30));
      worker.kill9();
      long atKill = partial.toFile().length();
      long killed = System.nanoTime();
      stack.startWorker("A", viaRelay);
      long relayedAtRestart = relay.downstreamBytes();

      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
      Duration completed = Reliability.since(killed);

      ConcatStatus done = stack.jobs().status(jobId);
      assertEquals(2, done.attempt(), done::toString);
      List<String> ranges = stack.s3().faults().getRanges();
      assertEquals(
          List.of("whole", "bytes=" + atKill + "-"),
          ranges,
          "the restarted host asked only for the rest");
      long afterRestart = relay.downstreamBytes() - relayedAtRestart;
      assertTrue(
          afterRestart < size - atKill + 64 * 1024,
          afterRestart
              + " bytes relayed after the restart for the "
              + (size - atKill)
              + " still missing");
      assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
      Reliability.record(
          "worker-killed-mid-segment",
          "segment_bytes",
          size,
          "on_disk_at_kill",
          atKill,
          "bytes_after_restart",
          afterRestart,
          "attempts",
          done.attempt(),
          "complete_seconds",
          completed);
    }
  }

  /**
   * Both hosts' work directories are 8 MiB; the job needs about 11 MiB. Each host fails it once, at
   * once, before any GET, and keeps no file of it: the job fails as InsufficientDisk.
   */
  @Test
  void aFullDiskFailsInOneAttemptPerHostAndLeavesNoFiles() throws Exception {
    AudioSet audio = AudioSet.sines(3, 120.0);
    String jobId = "disk-full";
    try (Tmpfs diskA = Tmpfs.mount(stack.workDir("A"), "8m");
        Tmpfs diskB = Tmpfs.mount(stack.workDir("B"), "8m")) {
      WorkerJvm a = stack.startWorker("A");
      WorkerJvm b = stack.startWorker("B");
      try {
        List<String> uris = audio.upload(stack.s3(), jobId);
        stack.s3().resetCounts();
        var twoHosts = new JobTimeouts(null, HEARTBEAT_SECONDS, null, null, null, null, 2);
        long submitted = System.nanoTime();
        stack
            .jobs()
            .start(
                ConcatRequest.builder(jobId)
                    .segments(uris)
                    .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                    .allowStreamCopy(false)
                    .timeouts(twoHosts)
                    .build());

        WorkflowFailedException failed = stack.jobs().awaitFailure(jobId, Duration.ofSeconds(90));
        Duration total = Reliability.since(submitted);

        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
        assertEquals("InsufficientDisk", cause.getType(), cause::toString);
        assertTrue(
            cause.getOriginalMessage().contains("not enough free disk"),
            cause.getOriginalMessage());
        ConcatStatus status = stack.jobs().status(jobId);
        assertEquals(2, status.attempt(), status::toString);
        assertTrue(status.lastError().contains("the job needs"), status::toString);
        assertEquals(
            1,
            count(a.logText(), "failed on this host's disk (InsufficientDisk)"),
            "one attempt on A");
        assertEquals(
            1,
            count(b.logText(), "failed on this host's disk (InsufficientDisk)"),
            "one attempt on B");
        assertEquals(0, stack.s3().gets(), "no GET into a disk that cannot hold the job");
        List<String> left = leftovers(diskA.dir(), diskB.dir());
        assertEquals(List.of(), left, "files of the job left on the hosts");
        Reliability.record(
            "disk-full-two-hosts",
            "error_type",
            cause.getType(),
            "attempts",
            status.attempt(),
            "gets",
            stack.s3().gets(),
            "files_left",
            left.size(),
            "job_total_seconds",
            total,
            "last_error",
            "\"" + status.lastError().replace('"', '\'') + "\"");
      } finally {
        a.close();
        b.close();
      }
    }
  }

  /** A's disk is too small, B's is not: the job fails once on A, moves to B and completes. */
  @Test
  void aFullDiskMovesTheJobToAHostWithRoom() throws Exception {
    AudioSet audio = AudioSet.sines(3, 120.0);
    String jobId = "disk-full-moves";
    try (Tmpfs diskA = Tmpfs.mount(stack.workDir("A"), "8m")) {
      WorkerJvm a = stack.startWorker("A");
      try {
        List<String> uris = audio.upload(stack.s3(), jobId);
        long submitted = System.nanoTime();
        stack
            .jobs()
            .start(
                ConcatRequest.builder(jobId)
                    .segments(uris)
                    .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                    .allowStreamCopy(false)
                    .timeouts(SHORT_HEARTBEAT)
                    .build());
        ConcatStatus failedOnA =
            stack
                .jobs()
                .awaitStatus(
                    jobId,
                    "the attempt on A failed",
                    s -> s.lastError() != null,
                    Duration.ofSeconds(60));
        Duration failedAfter = Reliability.since(submitted);
        List<String> leftOnA = leftovers(diskA.dir());
        WorkerJvm b = stack.startWorker("B");

        ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(120));

        assertTrue(failedOnA.lastError().contains("not enough free disk"), failedOnA::toString);
        assertEquals(List.of(), leftOnA, "A deleted the job's files when it gave the job up");
        ConcatStatus done = stack.jobs().status(jobId);
        assertEquals(b.identity(), done.worker(), done::toString);
        assertEquals(2, done.attempt(), done::toString);
        assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
        Reliability.record(
            "disk-full-moves-host",
            "failed_on_A_seconds",
            failedAfter,
            "attempts",
            done.attempt(),
            "files_left_on_A",
            leftOnA.size(),
            "job_total_seconds",
            Reliability.since(submitted));
      } finally {
        a.close();
      }
    }
  }

  private static long awaitSize(Path file, long atLeast, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      long size = file.toFile().length();
      if (size >= atLeast) {
        return size;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        file + " did not reach " + atLeast + " bytes in " + limit.toSeconds() + " s");
  }

  /** Files under the hosts' job directories. */
  private static List<String> leftovers(Path... workDirs) throws Exception {
    List<String> files = new java.util.ArrayList<>();
    for (Path workDir : workDirs) {
      Path jobs = workDir.resolve("jobs");
      if (Files.isDirectory(jobs)) {
        try (var walk = Files.walk(jobs)) {
          walk.filter(Files::isRegularFile).forEach(f -> files.add(f.toString()));
        }
      }
    }
    return files;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
