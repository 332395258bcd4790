package dev.concat.bench;

import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.rules.S3Uri;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Set S: one job joined in chunks spread over the chunk queue, first with one worker, then with
 * two, each worker with one job slot and one chunk slot, so the second worker's only work is the
 * chunks. Each run has its own task queue and fresh workers, warmed up by a job on 3 segments.
 */
final class SpreadRun {
  /**
   * The set is long enough to be chunked at this length: 60 s chunks, in runs of 20 minutes as
   * deployed (six runs for the set); the quick set's 2 minutes go in runs of one chunk instead.
   */
  private static Map<String, String> spread(boolean quick) {
    return Map.of(
        "CONCAT_CHUNK_MIN_SECONDS", "60",
        "CONCAT_CHUNK_RUN_SECONDS", quick ? "60" : "1200",
        "CONCAT_CHUNK_SPREAD", "true",
        "CONCAT_CHUNK_SLOTS", "1",
        "CONCAT_MAX_CONCURRENT_JOBS", "1");
  }

  private final BenchSettings settings;
  private final BenchStack stack;
  private final String runId;
  private final Path work;
  private final PrintStream log;

  SpreadRun(BenchSettings settings, BenchStack stack, String runId, Path work, PrintStream log) {
    this.settings = settings;
    this.stack = stack;
    this.runId = runId;
    this.work = work;
    this.log = log;
  }

  SpreadResult run(DataSet set, Path logs) {
    log.println("bench: set " + set.name() + ": putting its " + set.segments() + " segments in S3");
    List<String> uris = stack.stage(set);
    Timed one = timed(set, uris, 1, logs);
    Timed two = timed(set, uris, 2, logs);
    var result =
        new SpreadResult(
            set,
            one.seconds(),
            two.seconds(),
            one.result().durationSeconds(),
            two.result().durationSeconds(),
            two.chunksByWorker());
    log.println(
        String.format(
            Locale.ROOT,
            "bench: %s spread: 1 worker %.2f s, 2 workers %.2f s: %.2f× (target ≥ %.1f×); chunks by"
                + " worker %s",
            set.name(),
            result.oneWorkerSeconds(),
            result.twoWorkersSeconds(),
            result.speedup(),
            SpreadResult.TARGET_SPEEDUP,
            result.chunksByWorker()));
    return result;
  }

  private record Timed(double seconds, ConcatResult result, Map<String, Long> chunksByWorker) {}

  /** The set's job on {@code workers} fresh workers, after an untimed warm-up job. */
  private Timed timed(DataSet set, List<String> uris, int workers, Path logs) {
    String taskQueue = "bench-" + runId + "-spread-" + workers;
    var jobs = new ConcatJobs(stack.client(), taskQueue);
    List<WorkerJvm> started = new ArrayList<>();
    try {
      for (int i = 1; i <= workers; i++) {
        started.add(
            BenchWorker.start(
                stack,
                settings,
                taskQueue,
                work.resolve("worker-spread-" + workers + "-" + i),
                logs.resolve("worker-" + set.name() + "-" + workers + "-" + i + ".log"),
                spread(settings.quick())));
      }
      finish(jobs, jobId(set, workers, "warmup"), uris.subList(0, Math.min(3, uris.size())));
      String jobId = jobId(set, workers, "timed");
      long begun = System.nanoTime();
      ConcatResult result = finish(jobs, jobId, uris);
      double seconds = (System.nanoTime() - begun) / 1e9;
      log.println(
          String.format(
              Locale.ROOT, "bench: %s on %d workers: %.2f s", set.name(), workers, seconds));
      return new Timed(seconds, result, chunksByWorker(stack.client(), jobId));
    } finally {
      started.forEach(w -> w.stop(BenchWorker.STOP_GRACE));
    }
  }

  private ConcatResult finish(ConcatJobs jobs, String jobId, List<String> uris) {
    jobs.submit(
        ConcatRequest.builder(jobId)
            .segments(uris)
            .output(output(jobId).toString())
            .allowStreamCopy(false)
            .build());
    ConcatResult result = jobs.await(jobId);
    stack.delete(output(jobId));
    return result;
  }

  /** The chunks of the runs each worker completed, as the server recorded them. */
  private static Map<String, Long> chunksByWorker(WorkflowClient client, String jobId) {
    DataConverter converter = client.getOptions().getDataConverter();
    Set<Long> encodes = new HashSet<>();
    Map<String, Long> byWorker = new LinkedHashMap<>();
    for (HistoryEvent event : client.fetchHistory(jobId).getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event
              .getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals("EncodeChunks")) {
        encodes.add(event.getEventId());
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && encodes.contains(
              event.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
        var done = event.getActivityTaskCompletedEventAttributes();
        ChunkEncoded run =
            converter.fromPayloads(
                0, Optional.of(done.getResult()), ChunkEncoded.class, ChunkEncoded.class);
        byWorker.merge(done.getIdentity(), (long) run.chunks(), Long::sum);
      }
    }
    return byWorker;
  }

  private String jobId(DataSet set, int workers, String what) {
    return "bench-" + runId + "-" + set.name() + "-" + workers + "w-" + what;
  }

  private static S3Uri output(String jobId) {
    return S3Uri.parse("s3://" + BenchStack.BUCKET + "/out/" + jobId + ".mp3");
  }
}
