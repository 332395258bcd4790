package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store goes away for seconds while a job downloads or uploads: the S3 server stops and
 * starts again on the same port with the same data (a graceful restart), or the link to it is cut
 * for longer than the S3 client's retries last. The job completes with the whole output, no partial
 * object is ever visible at its output key, and no multipart upload is left behind.
 */
@Timeout(150)
class S3OutageIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  /**
   * About as long as an S3 endpoint restart or failover; longer than one call's SDK retries may
   * last.
   */
  private static final Duration OUTAGE = Duration.ofSeconds(5);

  /**
   * Longer than one S3 call's retries can wait (8 tries, at most 0.5 + 1 + 2 + 4 + 5 + 5 + 5 s of
   * half-jittered backoff): the attempt must fail and the workflow's rerun take over.
   */
  private static final Duration LONG_CUT = Duration.ofSeconds(25);

  @TempDir Path downloads;

  /**
   * 40 one-second segments fetched one at a time, each GET answered after 200 ms: S3 stops when a
   * quarter are on disk and comes back {@link #OUTAGE} later.
   */
  @Test
  void anOutageDuringTheDownloadIsRiddenOutAndTheJobCompletes() {
    int segments = 40;
    AudioSet audio = AudioSet.sines(segments, 1.0);
    String jobId = "s3-down-mid-download";
    String outputKey = "out/" + jobId + ".mp3";
    List<String> uris = audio.upload(stack.s3(), jobId);
    stack.s3().resetCounts();
    stack.s3().delayGets(Duration.ofMillis(200));
    WorkerJvm worker = stack.startWorker("A", Map.of("CONCAT_DOWNLOAD_PARALLELISM", "1"));
    Path segmentsDir = worker.workDir().resolve("jobs").resolve(jobId).resolve("segments");

    long submitted = System.nanoTime();
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId).segments(uris).output(S3Fixture.uri(outputKey)).build());
    WholeFiles.await(segmentsDir, ".mp3", segments / 4, Duration.ofSeconds(60));
    ConcatStatus atStop = stack.jobs().status(jobId);
    int onDiskAtStop = WholeFiles.count(segmentsDir, ".mp3");
    Outage outage = outage(OUTAGE);
    int onDiskAtRestart = WholeFiles.count(segmentsDir, ".mp3");
    stack.s3().delayGets(Duration.ZERO);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Duration total = since(submitted);
    Duration afterRestart = since(outage.endedAtNanos());
    int gets = stack.s3().gets();

    assertEquals(JobState.DOWNLOADING, atStop.state(), () -> "S3 stopped mid-download: " + atStop);
    assertTrue(onDiskAtRestart < segments, "the download was not finished when S3 came back");
    ConcatStatus done = stack.jobs().status(jobId);
    assertEquals(JobState.COMPLETED, done.state(), done::toString);
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    double decoded =
        SampleAudio.decodedSeconds(stack.s3().download(outputKey, downloads.resolve("out.mp3")));
    assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
    // The GET in flight when S3 stopped may be sent again; the segments already on disk are not.
    assertTrue(
        gets <= segments + 3,
        () -> gets + " GETs for " + segments + " segments: the download started over");
    Reliability.record(
        "s3-outage-download",
        "refused_seconds",
        outage.length(),
        "graceful_stop_seconds",
        outage.stopCall(),
        "segments",
        segments,
        "on_disk_at_stop",
        onDiskAtStop,
        "on_disk_at_restart",
        onDiskAtRestart,
        "gets_total",
        gets,
        "attempts",
        done.attempt(),
        "after_restart_seconds",
        afterRestart,
        "job_total_seconds",
        total,
        "last_error",
        quoted(done.lastError()));
  }

  /**
   * S3 restarts while a job's 10-minute output (9.6 MB: a multipart upload of 8 MiB parts) is sent
   * to a server that reads upload bodies at 1.5 MB/s. The stop is graceful, as a server's restart
   * is: it refuses new connections at once and lets requests in flight finish.
   */
  @Test
  void anS3RestartDuringAMultipartUploadLeavesNoPartialObjectAndNoOpenUpload() throws Exception {
    UploadRun run =
        uploadThroughAnOutage("s3-down-mid-upload", Map.of(), null, () -> outage(OUTAGE));
    Reliability.record(
        "s3-outage-upload",
        "refused_seconds",
        run.outage().length(),
        "graceful_stop_seconds",
        run.outage().stopCall(),
        "output_bytes",
        run.result().sizeBytes(),
        "bytes_uploaded_at_stop",
        run.atStop().bytesUploaded(),
        "attempts",
        run.done().attempt(),
        "open_uploads_at_restart",
        run.uploadsAtEnd(),
        "leftover_aborted_by_rerun",
        run.leftoverAborted(),
        "after_restart_seconds",
        run.afterEnd(),
        "job_total_seconds",
        run.total(),
        "looks",
        run.looks().size(),
        "looks_whole_object_before_completed_state",
        run.wholeBeforeCompleted(),
        "last_error",
        quoted(run.done().lastError()));
  }

  /**
   * The link between the worker and S3 is cut mid-part (every connection reset, new ones refused)
   * for longer than the S3 client's retries last, while the server keeps running, so the watch sees
   * the store's real state throughout. The failed attempt's multipart upload may outlive it (its
   * abort cannot get through); the rerun must leave none open.
   */
  @Test
  void aLinkCutMidPartLeavesNoPartialObjectAndNoOrphanedUpload() throws Exception {
    try (CuttableTcpProxy link = CuttableTcpProxy.to(stack.s3().endpoint())) {
      // Each failed run waits out its S3 client's retries (11.25 to 22.5 s) and then the
      // workflow's backoff (2 s, 4 s): two runs can fall inside a 25 s cut, the third cannot.
      var fourRuns = new JobTimeouts(null, null, null, null, null, null, 4);
      UploadRun run =
          uploadThroughAnOutage(
              "s3-link-cut-mid-upload",
              Map.of("S3_ENDPOINT", link.endpoint().toString()),
              fourRuns,
              () -> cut(link, LONG_CUT));
      assertTrue(
          run.done().attempt() >= 2,
          () ->
              "a "
                  + LONG_CUT.toSeconds()
                  + " s cut outlasts the S3 client's "
                  + "retries, so the upload attempt failed and the job ran again: "
                  + run.done());
      Reliability.record(
          "s3-link-cut-upload",
          "cut_seconds",
          run.outage().length(),
          "output_bytes",
          run.result().sizeBytes(),
          "bytes_uploaded_at_cut",
          run.atStop().bytesUploaded(),
          "attempts",
          run.done().attempt(),
          "open_uploads_at_restore",
          run.uploadsAtEnd(),
          "leftover_aborted_by_rerun",
          run.leftoverAborted(),
          "after_restore_seconds",
          run.afterEnd(),
          "job_total_seconds",
          run.total(),
          "looks",
          run.looks().size(),
          "looks_whole_object_before_completed_state",
          run.wholeBeforeCompleted(),
          "last_error",
          quoted(run.done().lastError()));
    }
  }

  /** What one upload through an outage showed. */
  private record UploadRun(
      Outage outage,
      ConcatStatus atStop,
      ConcatStatus done,
      ConcatResult result,
      Duration total,
      Duration afterEnd,
      List<OutputKeyWatch.Look> looks,
      long uploadsAtEnd,
      boolean leftoverAborted) {

    /**
     * Looks that found the whole object while the status did not say COMPLETED yet: the upload's
     * last request makes the object appear before the workflow can record that it completed.
     */
    long wholeBeforeCompleted() {
      return looks.stream().filter(p -> p.sawObject() && p.state() != JobState.COMPLETED).count();
    }
  }

  /**
   * Runs a job whose output is uploaded slowly in parts, brings on {@code outage} a second after
   * the multipart upload began, and checks what must hold whatever the outage: the job completes
   * with the whole output, no look at the key (every 100 ms, by a client that does not retry) ever
   * saw a partial object or any object before the outage ended, and no multipart upload is left
   * open.
   */
  private UploadRun uploadThroughAnOutage(
      String jobId, Map<String, String> workerEnv, JobTimeouts timeouts, Supplier<Outage> outage)
      throws Exception {
    // Two segments joined by stream copy: a 10-minute output without minutes of MP3 encoding.
    AudioSet audio = AudioSet.sines(2, 300.0);
    String outputKey = "out/" + jobId + ".mp3";
    List<String> uris = audio.upload(stack.s3(), jobId);
    WorkerJvm worker = stack.startWorker("A", workerEnv);
    stack.s3().faults().throttleUploads(1_500_000);

    long submitted = System.nanoTime();
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(uris)
                .output(S3Fixture.uri(outputKey))
                .allowStreamCopy(true)
                .timeouts(timeouts)
                .build());
    try (var watch = new OutputKeyWatch(stack.s3(), stack.jobs(), outputKey, jobId)) {
      stack
          .jobs()
          .awaitStatus(
              jobId, "uploading", s -> s.state() == JobState.UPLOADING, Duration.ofSeconds(60));
      awaitMultipartUpload(jobId, outputKey, Duration.ofSeconds(20));
      Thread.sleep(1000);
      ConcatStatus atStop = stack.jobs().status(jobId);
      Outage happened = outage.get();
      long uploadsAtEnd =
          stack.s3().inProgressUploads().stream().filter(u -> u.key().equals(outputKey)).count();
      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
      Duration total = since(submitted);
      Duration afterEnd = since(happened.endedAtNanos());
      List<OutputKeyWatch.Look> looks = watch.stop();

      assertEquals(
          JobState.UPLOADING, atStop.state(), () -> "the outage began mid-upload: " + atStop);
      ConcatStatus done = stack.jobs().status(jobId);
      assertEquals(JobState.COMPLETED, done.state(), done::toString);
      assertTrue(
          result.sizeBytes() > 8L * 1024 * 1024,
          result.sizeBytes() + " bytes: not a multipart upload");
      long stored =
          stack
              .s3()
              .client()
              .headObject(b -> b.bucket(S3Fixture.BUCKET).key(outputKey))
              .contentLength();
      assertEquals(result.sizeBytes(), stored, "the stored object is the whole output");
      List<OutputKeyWatch.Look> partial =
          looks.stream().filter(p -> p.sawObject() && p.size() != stored).toList();
      assertEquals(List.of(), partial, "looks that saw a partial object at " + outputKey);
      List<OutputKeyWatch.Look> early =
          looks.stream()
              .filter(p -> p.sawObject() && p.atNanos() < happened.endedAtNanos())
              .toList();
      assertEquals(
          List.of(),
          early,
          "looks that saw an object at " + outputKey + " before the outage ended");
      long unseen = looks.stream().filter(p -> !p.sawObject()).count();
      assertTrue(
          unseen >= 30, () -> "the key was watched through the outage: " + unseen + " looks");
      assertEquals(List.of(), stack.s3().inProgressUploads(), "no multipart upload is left open");
      double decoded =
          SampleAudio.decodedSeconds(stack.s3().download(outputKey, downloads.resolve("out.mp3")));
      assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
      assertEquals("copy", result.mode(), result::toString);
      boolean leftoverAborted = worker.logText().contains("left by an earlier attempt");
      return new UploadRun(
          happened, atStop, done, result, total, afterEnd, looks, uploadsAtEnd, leftoverAborted);
    }
  }

  /** Cuts the link for {@code length}; it is restored whatever happens in between. */
  private static Outage cut(CuttableTcpProxy link, Duration length) {
    long cutting = System.nanoTime();
    try {
      link.cut();
      Duration cutCall = since(cutting);
      Thread.sleep(length.toMillis());
      // The rerun's upload need not crawl: the outage is over.
      stack.s3().faults().throttleUploads(0);
      return new Outage(cutting, cutCall, System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      link.restore();
    }
  }

  /**
   * When S3 became unreachable and reachable again, and how long the call that began it took (a
   * graceful stop refuses new connections at once but returns when requests in flight end).
   */
  private record Outage(long startedAtNanos, Duration stopCall, long endedAtNanos) {
    Duration length() {
      return Duration.ofNanos(endedAtNanos - startedAtNanos);
    }
  }

  /**
   * Stops S3, waits {@code length} and starts it again; it starts again whatever happens in
   * between.
   */
  private static Outage outage(Duration length) {
    long stopping = System.nanoTime();
    boolean restarted = false;
    try {
      stack.s3().stop();
      Duration stopCall = since(stopping);
      Thread.sleep(Math.max(0, length.minus(stopCall).toMillis()));
      stack.s3().restart();
      restarted = true;
      return new Outage(stopping, stopCall, System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (!restarted) {
        stack.s3().restart();
      }
    }
  }

  private static void awaitMultipartUpload(String jobId, String key, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (stack.s3().inProgressUploads().stream().noneMatch(u -> u.key().equals(key))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no multipart upload to "
                + key
                + " began within "
                + limit.toSeconds()
                + " s; status "
                + stack.jobs().status(jobId));
      }
      pause(50);
    }
  }

  private static String quoted(String text) {
    return "\"" + (text == null ? "" : text.replace('"', '\'')) + "\"";
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
