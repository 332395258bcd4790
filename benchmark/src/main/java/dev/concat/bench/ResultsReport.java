package dev.concat.bench;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The results as a markdown file: how and where they were measured, the tables, the targets. */
public final class ResultsReport {
  /**
   * Below this 1-minute load before the run, and with others using under 5 % during it, the machine
   * was quiet.
   */
  private static final double QUIET_LOAD = 0.8;

  private static final double QUIET_OTHERS = 0.05;

  private final BenchResults results;
  private final StringBuilder out = new StringBuilder();

  private ResultsReport(BenchResults results) {
    this.results = results;
  }

  public static String markdown(BenchResults results) {
    return new ResultsReport(results).write();
  }

  private String write() {
    BenchSettings settings = results.settings();
    line("# concat benchmark: a shell script's pipeline vs concat");
    line("");
    line(
        "Written by `%s` on %s UTC (the measurements took %.1f min). Rerun it on your machine and compare; "
            + "the numbers are the program's, not edited by hand.",
        settings.commandLine(),
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC)
            .format(results.startedAt()),
        results.wallSeconds() / 60);
    line("");
    machineState();
    stack();
    // A run of set K or S alone has no rows against the raw way: no empty tables for them.
    boolean rows = !results.rows().isEmpty();
    if (rows) {
      dataSets();
      endToEnd();
      phases();
    }
    loudness();
    results.killResume().map(KillResumeSection::markdown).ifPresent(out::append);
    results.spread().map(SpreadSection::markdown).ifPresent(out::append);
    if (rows) {
      ffmpeg();
      footprint();
    }
    targets();
    throughput();
    if (rows) {
      everyRun();
    }
    return out.toString();
  }

  private void machineState() {
    if (results.settings().quick()) {
      line(
          "> **Quick data sets (`--quick`)**: seconds of audio, to check that the program works. These are not "
              + "measurements.");
      line("");
    }
    boolean quiet = results.loadAtStart() < QUIET_LOAD && results.othersCpuShare() < QUIET_OTHERS;
    line(
        quiet
            ? "The machine was quiet: 1-minute load average %.2f before the run; other processes used %.1f %% "
                + "of its CPU during the measurements."
            : "> **Measured while the machine was shared**: the 1-minute load average was %.2f before the run, and "
                + "other processes used %.1f %% of the machine's CPU during the measurements. Rerun on a quiet machine "
                + "for numbers to compare.",
        results.loadAtStart(),
        100 * results.othersCpuShare());
    line("");
  }

  private void stack() {
    BenchSettings s = results.settings();
    line("## Machine and stack");
    line("");
    line("- Machine: %s.", results.machine().summary());
    line(
        "- S3: S3Proxy over HTTP on 127.0.0.1, in the benchmark's JVM; one server, and the same S3 client "
            + "settings (`S3Clients`), for both ways.");
    line("- Temporal: %s.", results.temporal());
    line(
        "- concat: the job submitted through the Temporal client and run by a worker in a JVM of its own "
            + "(`concat worker`, default JVM options, metrics endpoint on, no chunks kept between jobs "
            + "so that every run encodes: `CONCAT_CHUNK_CACHE_MIB=0`), %d job slots, %d GETs at once "
            + "per job; timed from submit to the result as the client sees it. One worker per data set.",
        s.jobSlots(), s.downloadParallelism());
    line(
        "- Raw (what a shell script would do): the same GETs, %d at once, into a local folder; the same FFmpeg "
            + "command lines (`PlainJoinCommands`, built by concat's own `FfmpegCommand` and `JoinCommand`: decode "
            + "batches for mixed sets, then the join) run directly, one after another; the same multipart upload "
            + "(transfer manager). No Temporal, no probing, no heartbeats, and no measurement of the output: the "
            + "loudness meter concat's result needs is run over raw's output after its timed pipeline and shown "
            + "in brackets, outside raw's total.",
        s.downloadParallelism());
    line(
        "- Each row: one untimed warm-up of each way on 3 segments, then raw and concat alternately, %d times "
            + "each; the tables show medians. Data generation is cached and not timed.",
        s.repeat());
    line(
        "- concat's FFmpeg time is the wall time during which at least one of its encoding or decoding FFmpeg "
            + "processes ran (chunk encoders side by side count once), seen from /proc every 20 ms "
            + "(start from the kernel, end ±10 ms); its probing time is the rest of its concat phase (describing the "
            + "segments and measuring the output). Peak RSS is the worker JVM's VmHWM during the job; the FFmpeg and "
            + "ffprobe processes it runs are sampled separately.");
    line("");
  }

  private void dataSets() {
    line("## Data sets");
    line("");
    line("| set | segments | audio | what |");
    line("|---|---:|---:|---|");
    results.rows().stream()
        .filter(r -> !r.streamCopy())
        .forEach(
            r ->
                line(
                    "| %s | %d | %s | %s |",
                    r.set().name(),
                    r.set().segments(),
                    minutes(r.set().audioSeconds()),
                    r.set().description()));
    line("");
    line(
        "Rows marked *stream copy* submit the same set with `allowStreamCopy: true`, and the raw way runs the "
            + "same `-c:a copy` command.");
    line("");
  }

  private void endToEnd() {
    line("## End to end (median seconds)");
    line("");
    line("| row | raw | concat | concat/raw | concat − raw |");
    line("|---|---:|---:|---:|---:|");
    for (RowResult r : results.rows()) {
      double raw = r.rawMedian(RawRun::totalSeconds);
      double concat = r.concatMedian(ConcatRun::totalSeconds);
      line(
          "| %s | %.2f | %.2f | **%.3f** | %+.2f |",
          r.label(), raw, concat, r.ratio(), concat - raw);
    }
    line("");
  }

  private void phases() {
    line("## By phase (median seconds)");
    line("");
    line("| row | way | download | FFmpeg | probing and checks | upload | orchestration | total |");
    line("|---|---|---:|---:|---:|---:|---:|---:|");
    for (RowResult r : results.rows()) {
      line(
          "| %s | raw | %.2f | %.2f | (%.2f) | %.2f | – | %.2f |",
          r.label(),
          r.rawMedian(RawRun::downloadSeconds),
          r.rawMedian(RawRun::ffmpegSeconds),
          r.rawMedian(RawRun::meterSeconds),
          r.rawMedian(RawRun::uploadSeconds),
          r.rawMedian(RawRun::totalSeconds));
      line(
          "| %s | concat | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |",
          r.label(),
          r.concatMedian(c -> c.result().downloadSeconds()),
          r.concatMedian(ConcatRun::ffmpegSeconds),
          r.concatMedian(ConcatRun::probeSeconds),
          r.concatMedian(c -> c.result().uploadSeconds()),
          r.concatMedian(ConcatRun::orchestrationSeconds),
          r.concatMedian(ConcatRun::totalSeconds));
    }
    line("");
    line(
        "FFmpeg is the runs that decode and join. Probing and checks: for concat, the rest of its concat phase "
            + "(describing the segments, and metering the output's loudness, true peak and decoded length, which the "
            + "result reports; a re-encoded MP3 is metered while it is written, so most of that cost overlaps the "
            + "join); for raw, in brackets and not in its total, what the same meter costs run after the join. "
            + "Orchestration is the end-to-end time "
            + "outside the three phases as the worker timed them: submitting, claiming a host, scheduling each "
            + "activity and handing back its result.");
    line("");
  }

  private void loudness() {
    if (results.loudness().isEmpty()) {
      return;
    }
    LoudnessCost cost = results.loudness().get();
    String set = cost.plain().set().name();
    line("## Loudness normalisation (set %s, median)", set);
    line("");
    line(
        "| job | concat phase | FFmpeg encodes | CPU of the encodes | CPU of the meters | output |");
    line("|---|---:|---:|---:|---:|---|");
    line(
        "| %s | %.2f s | %.2f s | %.2f s | %.2f s | not normalised |",
        set,
        cost.plainMedian(c -> c.result().concatSeconds()),
        cost.plainMedian(ConcatRun::ffmpegSeconds),
        cost.plainMedian(ConcatRun::ffmpegCpuSeconds),
        cost.plainMedian(ConcatRun::meterCpuSeconds));
    line(
        "| %s at %.0f LUFS | %.2f s | %.2f s | %.2f s | %.2f s | %s |",
        set,
        cost.targetLufs(),
        cost.normalisedMedian(c -> c.result().concatSeconds()),
        cost.normalisedMedian(ConcatRun::ffmpegSeconds),
        cost.normalisedMedian(ConcatRun::ffmpegCpuSeconds),
        cost.normalisedMedian(ConcatRun::meterCpuSeconds),
        String.join(
            "; ",
            cost.normalised().stream()
                .map(
                    c ->
                        String.format(
                            Locale.ROOT,
                            "%.2f LUFS, %.2f dBTP",
                            c.result().audio().integratedLufs(),
                            c.result().audio().truePeakDb()))
                .distinct()
                .toList()));
    line("");
    line(
        "Normalising costs %+.2f s of CPU (FFmpeg's, and the worker JVM's, where the Java loudness meter runs), "
            + "%.0f %% of the plain job's encode, and %+.2f s of the concat phase's wall time: a meter pass over the "
            + "joined audio before the encode (for four minutes or more, four 20 s excerpts encoded to learn what the "
            + "encoder takes off this programme), and an encode and its measure again when the encoded file misses "
            + "the target by more than 0.05 LU.",
        cost.extraCpuSeconds(),
        100 * cost.shareOfEncode(),
        cost.normalisedMedian(c -> c.result().concatSeconds())
            - cost.plainMedian(c -> c.result().concatSeconds()));
    line("");
  }

  private void ffmpeg() {
    line("## FFmpeg (median)");
    line("");
    line(
        "| row | audio | FFmpeg alone | FFmpeg in concat | in concat / alone | CPU alone | CPU in concat "
            + "| realtime alone | realtime in concat | FFmpeg's own `speed=` |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (RowResult r : results.rows()) {
      double alone = r.rawMedian(RawRun::ffmpegSeconds);
      double inConcat = r.concatMedian(ConcatRun::ffmpegSeconds);
      double audio = r.set().audioSeconds();
      line(
          "| %s | %s | %.2f s | %.2f s | %.3f | %.2f s | %.2f s | %.0f× | %.0f× | %s |",
          r.label(),
          minutes(audio),
          alone,
          inConcat,
          r.ffmpegRatio(),
          r.rawMedian(RawRun::ffmpegCpuSeconds),
          r.concatMedian(ConcatRun::ffmpegCpuSeconds),
          audio / alone,
          audio / inConcat,
          ffmpegSpeed(r));
    }
    line("");
    line(
        "FFmpeg's times are wall times of its processes (joins and, for set C, decodes; not probes, nor the loudness meter over the output); CPU is their "
            + "user and system time: when wall time differs but CPU does not, FFmpeg waited for a CPU. "
            + "Realtime factor = seconds of audio / seconds of the FFmpeg phase. FFmpeg's own `speed=` is what the "
            + "joining command reported on its `-progress` output when run alone (for set C, the join of the decoded "
            + "PCM, not the decodes).");
    line("");
  }

  private void footprint() {
    line("## Footprint");
    line("");
    line(
        "| row | history events per job | of them progress signals | worker JVM CPU per job | worker peak RSS "
            + "| largest FFmpeg process | processes per job: FFmpeg / probing FFmpeg / metering FFmpeg / ffprobe "
            + "| other processes' CPU |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (RowResult r : results.rows()) {
      line(
          "| %s | %.0f | %.0f | %.2f s | %d MB | %d MB | %s | %.1f %% |",
          r.label(),
          r.concatMedian(ConcatRun::historyEvents),
          r.concatMedian(ConcatRun::progressSignals),
          r.concatMedian(ConcatRun::workerCpuSeconds),
          r.workerPeakRssBytes() >> 20,
          r.ffmpegPeakRssBytes() >> 20,
          r.concat().get(r.concat().size() - 1).processesSeen(),
          100 * r.othersCpuShare());
    }
    line("");
    line(
        "Each progress signal adds four events (the signal and a workflow task's three). Worker JVM CPU is the "
            + "JVM's own, FFmpeg and ffprobe not included. Processes per job (of the last run): FFmpeg that joins or "
            + "decodes, FFmpeg that only reads its inputs (probing), FFmpeg through the loudness meter, ffprobe; the sampler looks for new processes every "
            + "60 ms, so a very short one can be missed.");
    line("");
  }

  private void targets() {
    line("## Targets");
    line("");
    line("| target | measured | result |");
    line("|---|---|---|");
    Targets.check(results)
        .forEach(t -> line("| %s | %s | %s |", t.goal(), t.measured(), t.verdict()));
    line("");
  }

  private void throughput() {
    if (results.throughput().isEmpty()) {
      return;
    }
    ThroughputResult t = results.throughput().get();
    line(
        "## Throughput: %d jobs of set %s on one worker with %d job slots",
        t.jobs(), t.set().name(), t.slots());
    line("");
    line("| how | wall | audio-hours per wall-hour |");
    line("|---|---:|---:|");
    line(
        "| one after another | %.1f s | %.1f |",
        t.sequentialSeconds(), t.audioHoursPerHour(t.sequentialSeconds()));
    line(
        "| all submitted at once | %.1f s | %.1f |",
        t.concurrentSeconds(), t.audioHoursPerHour(t.concurrentSeconds()));
    line("");
    List<Double> gaps = t.slotGapsSeconds();
    line(
        "All at once is %.2f× one after another. How long a freed slot stayed idle, from a job's upload "
            + "finishing to a queued job's claim succeeding: %s. Other processes used %.1f %% of the CPU meanwhile.",
        t.sequentialSeconds() / t.concurrentSeconds(),
        gaps.isEmpty()
            ? "no job had to wait"
            : String.format(
                Locale.ROOT,
                "%s s (mean %.1f s)",
                gaps.stream().map(g -> String.format(Locale.ROOT, "%.1f", g)).toList(),
                gaps.stream().mapToDouble(Double::doubleValue).average().orElse(0)),
        100 * t.othersCpuShare());
    line("");
  }

  private void everyRun() {
    line("## Every run (seconds)");
    line("");
    line("| row | run | raw | concat |");
    line("|---|---:|---:|---:|");
    for (RowResult r : results.rows()) {
      for (int i = 0; i < r.raw().size(); i++) {
        line(
            "| %s | %d | %.2f | %.2f |",
            r.label(), i + 1, r.raw().get(i).totalSeconds(), r.concat().get(i).totalSeconds());
      }
    }
  }

  static String ffmpegSpeed(RowResult row) {
    double[] speeds =
        row.raw().stream()
            .map(RawRun::ffmpegSpeed)
            .filter(OptionalDouble::isPresent)
            .mapToDouble(OptionalDouble::getAsDouble)
            .toArray();
    return speeds.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f×", Median.of(speeds));
  }

  static String minutes(double seconds) {
    return seconds >= 60
        ? String.format(Locale.ROOT, "%.1f min", seconds / 60)
        : String.format(Locale.ROOT, "%.0f s", seconds);
  }

  private void line(String pattern, Object... args) {
    out.append(args.length == 0 ? pattern : String.format(Locale.ROOT, pattern, args)).append('\n');
  }
}
