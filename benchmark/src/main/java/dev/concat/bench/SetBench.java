package dev.concat.bench;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.rules.S3Uri;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures one data set on a worker JVM of its own: one untimed warm-up of each way on three
 * segments, then per row the raw way and concat alternately, {@code repeat} times each.
 */
final class SetBench {
  private static final int WARM_UP_SEGMENTS = 3;

  /**
   * Loudness normalisation's cost is measured on set A, at the target most podcast hosts ask for.
   */
  private static final String LOUDNESS_SET = "A";

  private static final Loudness LOUDNESS = new Loudness(-16.0, -1.0);

  /** A set's rows, and the throughput run and loudness cost when they ran on this set's worker. */
  record Outcome(
      List<RowResult> rows,
      Optional<ThroughputResult> throughput,
      Optional<LoudnessCost> loudness) {}

  private final BenchSettings settings;
  private final BenchStack stack;
  private final ConcatJobs jobs;
  private final RawPipeline raw;
  private final String runId;
  private final Path work;
  private final PrintStream log;

  SetBench(BenchSettings settings, BenchStack stack, String runId, Path work, PrintStream log) {
    this.settings = settings;
    this.stack = stack;
    this.jobs = new ConcatJobs(stack.client(), taskQueue(runId));
    this.raw = new RawPipeline(stack.s3(), settings.ffmpeg(), settings.downloadParallelism());
    this.runId = runId;
    this.work = work;
    this.log = log;
  }

  static String taskQueue(String runId) {
    return "bench-" + runId;
  }

  Outcome measure(DataSet set, Path workerLog, boolean withThroughput)
      throws IOException, InterruptedException {
    log.println("bench: set " + set.name() + ": putting its " + set.segments() + " segments in S3");
    List<String> uris = stack.stage(set);
    WorkerJvm worker =
        BenchWorker.start(
            stack, settings, taskQueue(runId), work.resolve("worker-" + set.name()), workerLog);
    try (WorkerSampler sampler = WorkerSampler.start(worker.pid())) {
      warmUp(set, uris);
      List<RowResult> rows = new ArrayList<>();
      rows.add(row(set, uris, false, sampler));
      Optional<LoudnessCost> loudness =
          set.name().equals(LOUDNESS_SET)
              ? Optional.of(loudnessCost(rows.get(0), uris, sampler))
              : Optional.empty();
      if (!set.mixedFormats() && set.format() == OutputFormat.MP3) {
        rows.add(row(set, uris, true, sampler));
      }
      Optional<ThroughputResult> throughput =
          withThroughput
              ? Optional.of(
                  new ThroughputRun(jobs, stack, log)
                      .run(
                          set,
                          uris,
                          settings.throughputJobs(),
                          settings.jobSlots(),
                          "bench-" + runId + "-throughput"))
              : Optional.empty();
      return new Outcome(rows, throughput, loudness);
    } finally {
      worker.stop(BenchWorker.STOP_GRACE);
    }
  }

  private void warmUp(DataSet set, List<String> uris) throws IOException, InterruptedException {
    List<String> head = uris.subList(0, Math.min(WARM_UP_SEGMENTS, uris.size()));
    String id = "bench-" + runId + "-" + set.name() + "-warmup";
    rawOnce(set, head, false, id + "-raw");
    concatOnce(set, head, false, id + "-concat", Optional.empty());
    log.println("bench: set " + set.name() + ": both ways warmed up");
  }

  private RowResult row(DataSet set, List<String> uris, boolean copy, WorkerSampler sampler)
      throws IOException, InterruptedException {
    MachineLoad.Reading before = MachineLoad.read();
    List<RawRun> raws = new ArrayList<>();
    List<ConcatRun> concats = new ArrayList<>();
    String label = set.name() + (copy ? "-copy" : "");
    for (int i = 1; i <= settings.repeat(); i++) {
      String id = "bench-" + runId + "-" + label + "-" + i;
      RawRun r = rawOnce(set, uris, copy, id + "-raw");
      raws.add(r);
      log.println(
          String.format(
              Locale.ROOT,
              "bench: %s run %d raw:    %6.2f s (download %.2f, ffmpeg %.2f, " + "upload %.2f)",
              label,
              i,
              r.totalSeconds(),
              r.downloadSeconds(),
              r.ffmpegSeconds(),
              r.uploadSeconds()));
      ConcatRun c = concatOnce(set, uris, copy, id + "-concat", Optional.of(sampler));
      concats.add(c);
      log.println(
          String.format(
              Locale.ROOT,
              "bench: %s run %d concat: %6.2f s (download %.2f, concat %.2f with "
                  + "ffmpeg %.2f, upload %.2f; %d history events, %d of them signals; worker CPU %.2f s, peak RSS %d MB)",
              label,
              i,
              c.totalSeconds(),
              c.result().downloadSeconds(),
              c.result().concatSeconds(),
              c.ffmpegSeconds(),
              c.result().uploadSeconds(),
              c.historyEvents(),
              c.progressSignals(),
              c.workerCpuSeconds(),
              c.workerPeakRssBytes() >> 20));
    }
    return new RowResult(set, copy, raws, concats, MachineLoad.othersShareSince(before));
  }

  /** The re-encoding row's jobs again, normalised to {@link #LOUDNESS}, {@code repeat} times. */
  private LoudnessCost loudnessCost(RowResult plain, List<String> uris, WorkerSampler sampler) {
    List<ConcatRun> runs = new ArrayList<>();
    for (int i = 1; i <= settings.repeat(); i++) {
      String jobId = "bench-" + runId + "-" + plain.set().name() + "-loudness-" + i;
      ConcatRun c =
          concatOnce(
              ConcatJobs.normalised(jobId, uris, output(jobId, plain.set()).toString(), LOUDNESS),
              Optional.of(sampler));
      runs.add(c);
      log.println(
          String.format(
              Locale.ROOT,
              "bench: %s run %d concat at %.0f LUFS: %6.2f s (concat %.2f with "
                  + "ffmpeg %.2f; CPU: encodes %.2f s, meters %.2f s; %.2f LUFS, %.2f dBTP)",
              plain.set().name(),
              i,
              LOUDNESS.integratedLufs(),
              c.totalSeconds(),
              c.result().concatSeconds(),
              c.ffmpegSeconds(),
              c.ffmpegCpuSeconds(),
              c.meterCpuSeconds(),
              c.result().audio().integratedLufs(),
              c.result().audio().truePeakDb()));
    }
    return new LoudnessCost(plain, LOUDNESS.integratedLufs(), runs);
  }

  private RawRun rawOnce(DataSet set, List<String> uris, boolean copy, String id)
      throws IOException, InterruptedException {
    S3Uri output = output(id, set);
    RawRun run =
        raw.run(
            uris.stream().map(S3Uri::parse).toList(),
            output,
            set.format(),
            set.mixedFormats(),
            copy,
            work.resolve("raw").resolve(id));
    stack.delete(output);
    return run;
  }

  /**
   * @param sampler watches the worker during the job; empty for the warm-up
   */
  private ConcatRun concatOnce(
      DataSet set, List<String> uris, boolean copy, String jobId, Optional<WorkerSampler> sampler) {
    return concatOnce(
        ConcatJobs.request(jobId, uris, output(jobId, set).toString(), copy), sampler);
  }

  private ConcatRun concatOnce(ConcatRequest request, Optional<WorkerSampler> sampler) {
    String jobId = request.jobId();
    S3Uri output = S3Uri.parse(request.output());
    sampler.ifPresent(WorkerSampler::reset);
    long started = System.nanoTime();
    jobs.submit(request);
    ConcatResult result = jobs.await(jobId);
    double seconds = (System.nanoTime() - started) / 1e9;
    var seen =
        sampler.map(WorkerSampler::observed).orElse(new WorkerSampler.Observed(0, 0, List.of(), 0));
    stack.delete(output);
    JobHistory history = jobs.history(jobId);
    return new ConcatRun(
        seconds,
        result,
        seen.seconds("ffmpeg"),
        seen.cpuSeconds("ffmpeg"),
        new ConcatRun.ProcessCounts(
            seen.count("ffmpeg"),
            seen.count(WorkerSampler.FFMPEG_PROBE),
            seen.count(WorkerSampler.FFMPEG_METER),
            seen.count("ffprobe")),
        history.events(),
        seen.workerPeakRssBytes(),
        seen.ffmpegPeakRssBytes(),
        seen.workerCpuSeconds(),
        history.signals(),
        seen.cpuSeconds(WorkerSampler.FFMPEG_METER));
  }

  private static S3Uri output(String id, DataSet set) {
    return S3Uri.parse("s3://" + BenchStack.BUCKET + "/out/" + id + "." + set.format().extension());
  }
}
