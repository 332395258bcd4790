package dev.concat.bench;

import dev.concat.app.progress.ProgressView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One benchmark run: generates or finds the data sets (untimed), starts the S3 server and Temporal,
 * measures each set on a worker JVM of its own, and the throughput run on set A's; set K is the
 * kill-and-resume run, set S the spread encode on one worker and on two.
 */
public final class BenchRun {
  /** The set that is joined by a worker killed part way, not measured against the raw way. */
  static final String KILL_RESUME_SET = "K";

  /** The set whose chunked encode is spread over one worker, then two. */
  static final String SPREAD_SET = "S";

  private final BenchSettings settings;
  private final PrintStream log;

  public BenchRun(BenchSettings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  public BenchResults run(ProgressView generation) throws IOException, InterruptedException {
    double loadAtStart = MachineLoad.loadAverage();
    var dataSets =
        new DataSets(settings.ffmpeg(), settings.dataDir().resolve("bench-data"), settings.quick());
    List<DataSet> sets = new ArrayList<>();
    for (String name : settings.sets()) {
      sets.add(dataSets.ensure(name, generation));
    }
    MachineDescription machine = MachineDescription.of(settings.ffmpeg());
    String temporalVersion =
        settings
            .temporalBinary()
            .flatMap(
                binary -> MachineDescription.versionLine(List.of(binary.toString(), "--version")))
            .orElse("");
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Path work = settings.dataDir().resolve("bench-work").resolve(runId);
    Path logs = settings.dataDir().resolve("bench-logs").resolve(runId);

    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    MachineLoad.Reading before = MachineLoad.read();
    List<RowResult> rows = new ArrayList<>();
    Optional<ThroughputResult> throughput = Optional.empty();
    Optional<LoudnessCost> loudness = Optional.empty();
    Optional<KillResumeResult> killResume = Optional.empty();
    Optional<SpreadResult> spread = Optional.empty();
    String temporal;
    try (BenchStack stack =
        BenchStack.start(work.resolve("s3"), logs, settings.temporalBinary(), temporalVersion)) {
      temporal = stack.temporalDescription();
      log.println(
          "bench: S3 "
              + stack.s3Endpoint()
              + ", Temporal "
              + stack.temporalAddress()
              + " ("
              + temporal
              + "); logs in "
              + logs);
      var bench = new SetBench(settings, stack, runId, work, log);
      for (DataSet set : sets) {
        Path workerLog = logs.resolve("worker-" + set.name() + ".log");
        if (set.name().equals(KILL_RESUME_SET)) {
          killResume =
              Optional.of(new KillResumeRun(settings, stack, runId, work, log).run(set, workerLog));
          continue;
        }
        if (set.name().equals(SPREAD_SET)) {
          spread = Optional.of(new SpreadRun(settings, stack, runId, work, log).run(set, logs));
          continue;
        }
        boolean withThroughput = set.name().equals("A") && settings.throughputJobs() > 0;
        SetBench.Outcome outcome = bench.measure(set, workerLog, withThroughput);
        rows.addAll(outcome.rows());
        if (outcome.throughput().isPresent()) {
          throughput = outcome.throughput();
        }
        if (outcome.loudness().isPresent()) {
          loudness = outcome.loudness();
        }
      }
    } finally {
      LocalResources.deleteTree(work);
    }
    return new BenchResults(
        settings,
        machine,
        temporal,
        startedAt,
        (System.nanoTime() - started) / 1e9,
        loadAtStart,
        MachineLoad.othersShareSince(before),
        rows,
        throughput,
        loudness,
        killResume,
        spread);
  }
}
