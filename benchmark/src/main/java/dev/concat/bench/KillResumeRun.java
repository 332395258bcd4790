package dev.concat.bench;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.rules.S3Uri;
import dev.concat.testkit.WorkerJvm;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Issue 15's crash scenario on one host: a worker with one job slot joins the set in chunks, once
 * undisturbed; then the same segments as another job, its worker killed (kill -9) once 70 % of the
 * segments are concatenated and started again at once on the same work directory and task queue, so
 * the new attempt keeps the chunks the killed one finished.
 */
final class KillResumeRun {
  /** The set is long enough to be chunked at this length: 60 s chunks, as deployed. */
  private static final String CHUNK_MIN_SECONDS = "60";

  /** The kill comes once this share of the segments is concatenated. */
  static final double KILL_AT = 0.7;

  /** The default heartbeat timeout, as the bound names it; the quick run's is shorter. */
  private static final long HEARTBEAT_SECONDS = 15;

  private static final long QUICK_HEARTBEAT_SECONDS = 5;

  /**
   * The job's progress reaches its status at most every 5 s (CONCAT_PROGRESS_INTERVAL): polling
   * faster than this adds queries for the encoding worker to answer and sees nothing sooner.
   */
  private static final long POLL_MILLIS = 500;

  /** The quick set's job lasts seconds: only frequent polls see it before it ends. */
  private static final long QUICK_POLL_MILLIS = 50;

  private final BenchSettings settings;
  private final BenchStack stack;
  private final String runId;
  private final String taskQueue;
  private final ConcatJobs jobs;
  private final Path workDir;
  private final PrintStream log;
  private final long pollMillis;

  KillResumeRun(
      BenchSettings settings, BenchStack stack, String runId, Path work, PrintStream log) {
    this.settings = settings;
    this.stack = stack;
    this.runId = runId;
    this.taskQueue = "bench-" + runId + "-kill";
    this.jobs = new ConcatJobs(stack.client(), taskQueue);
    this.workDir = work.resolve("worker-kill");
    this.log = log;
    this.pollMillis = settings.quick() ? QUICK_POLL_MILLIS : POLL_MILLIS;
  }

  KillResumeResult run(DataSet set, Path workerLog) throws InterruptedException {
    log.println("bench: set " + set.name() + ": putting its " + set.segments() + " segments in S3");
    List<String> uris = stack.stage(set);
    long heartbeat = settings.quick() ? QUICK_HEARTBEAT_SECONDS : HEARTBEAT_SECONDS;
    WorkerJvm worker = startWorker(workerLog);
    try {
      finish(request(jobId(set, "warmup"), uris.subList(0, Math.min(3, uris.size())), heartbeat));
      log.println("bench: set " + set.name() + ": warmed up");
      Unkilled unkilled = unkilled(worker, set, uris, heartbeat);

      String killedId = jobId(set, "killed");
      long started = System.nanoTime();
      jobs.submit(request(killedId, uris, heartbeat));
      ConcatStatus seen = awaitKillPoint(killedId);
      worker.kill9();
      double killedAfter = seconds(started);
      worker = startWorker(workerLog);
      double restarted = seconds(started);
      awaitNextAttempt(killedId, seen.attempt());
      var kill =
          new KillResumeResult.KillPoint(
              killedAfter,
              restarted - killedAfter,
              seconds(started) - killedAfter,
              seen.state(),
              seen.segmentsConcatenated(),
              seen.segmentsTotal());
      ConcatResult killed = jobs.await(killedId);
      double killedSeconds = seconds(started);
      stack.delete(output(killedId));
      var result =
          new KillResumeResult(
              set,
              heartbeat,
              unkilled.seconds(),
              unkilled.result().durationSeconds(),
              unkilled.encode(),
              killedSeconds,
              killed.durationSeconds(),
              kill,
              jobs.status(killedId).attempt(),
              ChunkedEncodeLog.find(worker.logText(), killedId));
      log.println(describe(result));
      return result;
    } finally {
      worker.stop(BenchWorker.STOP_GRACE);
    }
  }

  private record Unkilled(double seconds, ConcatResult result, ChunkedEncodeLog encode) {}

  /** The job undisturbed, and the worker's account of its chunked encode. */
  private Unkilled unkilled(WorkerJvm worker, DataSet set, List<String> uris, long heartbeat) {
    String jobId = jobId(set, "unkilled");
    long started = System.nanoTime();
    ConcatResult result = finish(request(jobId, uris, heartbeat));
    double seconds = seconds(started);
    ChunkedEncodeLog encode =
        ChunkedEncodeLog.find(worker.logText(), jobId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "job "
                            + jobId
                            + " was not encoded in chunks: no chunked encode line in "
                            + worker.log()));
    log.println(
        String.format(
            Locale.ROOT,
            "bench: %s unkilled: %6.2f s (%d chunks on up to %d cores in %.2f s: %.2f s a chunk;"
                + " duration %.2f s)",
            set.name(),
            seconds,
            encode.chunks(),
            encode.cores(),
            encode.encodeSeconds(),
            encode.secondsPerChunk(),
            result.durationSeconds()));
    return new Unkilled(seconds, result, encode);
  }

  /**
   * A worker of one job slot that encodes the set in chunks on its own cores, the resume this set
   * measures (spreading them, the default, stores them in S3 instead: set S); the same host each
   * time.
   */
  private WorkerJvm startWorker(Path workerLog) {
    return BenchWorker.start(
        stack,
        settings,
        taskQueue,
        workDir,
        workerLog,
        Map.of(
            "CONCAT_CHUNK_MIN_SECONDS",
            CHUNK_MIN_SECONDS,
            "CONCAT_CHUNK_SPREAD",
            "false",
            "CONCAT_MAX_CONCURRENT_JOBS",
            "1"));
  }

  /**
   * Polls the job's status until {@value #KILL_AT} of its segments are concatenated. A tiny job can
   * leave the concat phase between two progress reports: its upload is then the latest point to
   * kill at.
   */
  private ConcatStatus awaitKillPoint(String jobId) throws InterruptedException {
    while (true) {
      Optional<ConcatStatus> answer = statusOrNothing(jobId);
      if (answer.isEmpty()) {
        Thread.sleep(pollMillis);
        continue;
      }
      ConcatStatus status = answer.get();
      boolean concatDone =
          status.state() == JobState.CONCATENATING
              && status.segmentsConcatenated() >= KILL_AT * status.segmentsTotal();
      if (concatDone || status.state() == JobState.UPLOADING) {
        return status;
      }
      if (status.state().isTerminal()) {
        throw new IllegalStateException(
            "job "
                + jobId
                + " ended ("
                + status.state()
                + ") before its status showed "
                + Math.round(100 * KILL_AT)
                + " % of its segments concatenated: nothing left to kill its worker in");
      }
      Thread.sleep(pollMillis);
    }
  }

  /** Polls the job's status until a host attempt after {@code killed} runs, or the job ended. */
  private void awaitNextAttempt(String jobId, int killed) throws InterruptedException {
    while (true) {
      Optional<ConcatStatus> status = statusOrNothing(jobId);
      if (status.isPresent()
          && (status.get().attempt() > killed || status.get().state().isTerminal())) {
        return;
      }
      Thread.sleep(pollMillis);
    }
  }

  /**
   * A query can fail while the job's first workflow task is still to run, or while no live worker
   * holds the workflow; the next poll asks again.
   */
  private Optional<ConcatStatus> statusOrNothing(String jobId) {
    try {
      return Optional.of(jobs.status(jobId));
    } catch (WorkflowException | StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  private ConcatResult finish(ConcatRequest request) {
    jobs.submit(request);
    ConcatResult result = jobs.await(request.jobId());
    stack.delete(output(request.jobId()));
    return result;
  }

  /** Re-encoded as ConcatJobs.request, with the heartbeat timeout the bound counts on. */
  private static ConcatRequest request(String jobId, List<String> uris, long heartbeatSeconds) {
    return ConcatRequest.builder(jobId)
        .segments(uris)
        .output(output(jobId).toString())
        .allowStreamCopy(false)
        .timeouts(new JobTimeouts(null, heartbeatSeconds, null, null, null, null, null))
        .build();
  }

  private String jobId(DataSet set, String what) {
    return "bench-" + runId + "-" + set.name() + "-" + what;
  }

  private static S3Uri output(String jobId) {
    return S3Uri.parse("s3://" + BenchStack.BUCKET + "/out/" + jobId + ".mp3");
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static String describe(KillResumeResult r) {
    return String.format(
        Locale.ROOT,
        "bench: %s killed at %.1f s (%s, %d of %d segments concatenated), restarted in %.1f s, next attempt after %.1f s: %6.2f s"
            + " (%s; %d attempts; duration %.2f s); bound: %.2f + %d + 2 × %.2f = %.2f s: %s",
        r.set().name(),
        r.kill().afterSeconds(),
        r.kill().state(),
        r.kill().concatenated(),
        r.kill().total(),
        r.kill().restartSeconds(),
        r.kill().reattemptSeconds(),
        r.killedSeconds(),
        r.resumedEncode()
            .map(e -> e.keptChunks() + " of " + e.chunks() + " chunks kept")
            .orElse("no chunked encode after the restart"),
        r.attempts(),
        r.killedDurationSeconds(),
        r.unkilledSeconds(),
        r.heartbeatSeconds(),
        r.chunkSeconds(),
        r.boundSeconds(),
        r.withinBound() ? "within" : "MISSED");
  }
}
