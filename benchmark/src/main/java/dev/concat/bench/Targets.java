package dev.concat.bench;

import dev.concat.contract.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The targets, each checked against this run's medians where its rows were measured. */
final class Targets {

  /** One target; {@code passed} is empty for a figure reported without a bound. */
  record Target(String goal, String measured, Optional<Boolean> passed) {
    String verdict() {
      return passed.map(p -> p ? "pass" : "**MISS**").orElse("(reported)");
    }
  }

  static List<Target> check(BenchResults results) {
    List<Target> targets = new ArrayList<>();
    // Issue 15's bounds: faster than the script alone, which measures nothing.
    row(results, "A", false).ifPresent(a -> targets.add(ratio("A: concat/raw ≤ 0.65", a, 0.65)));
    row(results, "B", false).ifPresent(b -> targets.add(ratio("B: concat/raw ≤ 0.70", b, 0.70)));
    row(results, "M", false).ifPresent(m -> targets.add(m4a(m)));
    for (RowResult row : results.rows()) {
      // A chunked M4A runs other FFmpeg commands than the script's one.
      if (!row.streamCopy() && row.set().format() == OutputFormat.MP3) {
        double ratio = row.ffmpegRatio();
        targets.add(
            new Target(
                row.label() + ": FFmpeg phase in concat within 3 % of the same commands run alone",
                format(
                    "%.3f× (%.2f s vs %.2f s)",
                    ratio,
                    row.concatMedian(ConcatRun::ffmpegSeconds),
                    row.rawMedian(RawRun::ffmpegSeconds)),
                Optional.of(ratio <= 1.03)));
      }
    }
    historyTarget(results).ifPresent(targets::add);
    row(results, "T", false).ifPresent(t -> targets.add(shortJob(t)));
    row(results, "H", false).ifPresent(h -> targets.add(longJobHistory(h)));
    row(results, "B", false)
        .ifPresent(
            b -> {
              long peak =
                  results.rows().stream()
                      .filter(r -> r.set().name().equals("B"))
                      .mapToLong(RowResult::workerPeakRssBytes)
                      .max()
                      .orElse(0);
              targets.add(
                  new Target(
                      "B: worker peak RSS < 400 MB",
                      format("%d MB", peak >> 20),
                      Optional.of(peak < 400L << 20)));
            });
    row(results, "A", true).ifPresent(a -> targets.add(streamCopyEndToEnd(a)));
    for (RowResult row : results.rows()) {
      // A bound for long joins (A's 40 minutes, B's 50): a few seconds of audio are all start-up.
      if (row.streamCopy() && row.set().audioSeconds() >= 600) {
        double realtime = row.set().audioSeconds() / row.concatMedian(ConcatRun::ffmpegSeconds);
        targets.add(
            new Target(
                row.label() + ": FFmpeg phase ≥ 1,000× realtime",
                format("%.0f×", realtime),
                Optional.of(realtime >= 1000)));
      }
    }
    results.loudness().map(Targets::normalisationCost).ifPresent(targets::add);
    for (RowResult row : results.rows()) {
      if (!row.streamCopy()) {
        targets.add(
            new Target(
                row.label() + ": re-encode realtime factor, next to FFmpeg's own",
                format(
                    "%.0f× in concat, %.0f× run alone; FFmpeg's speed= %s",
                    row.set().audioSeconds() / row.concatMedian(ConcatRun::ffmpegSeconds),
                    row.set().audioSeconds() / row.rawMedian(RawRun::ffmpegSeconds),
                    ResultsReport.ffmpegSpeed(row)),
                Optional.empty()));
      }
    }
    results.killResume().map(Targets::killResume).ifPresent(targets::add);
    results.spread().map(Targets::spread).ifPresent(targets::add);
    return targets;
  }

  /**
   * Issue 15's "stream copy, set A, end to end: ≥ 1000× realtime": from submit to the result, so
   * describing the segments and measuring the output count, where the FFmpeg phase alone does not.
   */
  private static Target streamCopyEndToEnd(RowResult row) {
    double seconds = row.concatMedian(ConcatRun::totalSeconds);
    double realtime = row.set().audioSeconds() / seconds;
    return new Target(
        row.label() + ": end to end ≥ 1,000× realtime",
        format("%.0f× (%.2f s for %.0f s of audio)", realtime, seconds, row.set().audioSeconds()),
        Optional.of(realtime >= 1000));
  }

  /** Issue 15's "loudness normalisation adds ≤ 30 % to the encode", in CPU seconds. */
  private static Target normalisationCost(LoudnessCost cost) {
    double share = cost.shareOfEncode();
    return new Target(
        cost.plain().set().name()
            + format(
                ": normalising to %.0f LUFS adds ≤ 30 %% to the encode's CPU", cost.targetLufs()),
        format(
            "+%.0f %% (+%.2f s on %.2f s)",
            100 * share, cost.extraCpuSeconds(), cost.plainMedian(ConcatRun::ffmpegCpuSeconds)),
        Optional.of(share <= 0.30));
  }

  /** Killed at 70 % and restarted on the same host: the unkilled time, a heartbeat, two chunks. */
  private static Target killResume(KillResumeResult r) {
    return new Target(
        r.set().name()
            + ": kill -9 at 70 %, same worker restarted: total ≤ unkilled + heartbeat timeout + 2 chunks",
        format(
            "%.1f s, bound %.1f + %d + 2 × %.1f = %.1f s; %d of %d chunks kept; durations %s",
            r.killedSeconds(),
            r.unkilledSeconds(),
            r.heartbeatSeconds(),
            r.chunkSeconds(),
            r.boundSeconds(),
            r.resumedEncode().map(ChunkedEncodeLog::keptChunks).orElse(0),
            r.unkilledEncode().chunks(),
            r.durationsMatch() ? "match" : "**differ**"),
        Optional.of(r.withinBound()));
  }

  /** The same chunked job, one chunk slot per worker: two workers at least 1.7 times as fast. */
  private static Target spread(SpreadResult r) {
    return new Target(
        r.set().name()
            + ": spread chunked encode, 2 workers ≥ 1.7× as fast as 1 (1 chunk slot each)",
        format(
            "%.2f× (%.1f s vs %.1f s); chunks by worker %s; durations %s",
            r.speedup(),
            r.twoWorkersSeconds(),
            r.oneWorkerSeconds(),
            r.chunksByWorker().values(),
            r.durationsMatch() ? "match" : "**differ**"),
        Optional.of(r.withinTarget()));
  }

  /** Under 100 events per job, and the same order of magnitude for 100 and 1,000 segments. */
  private static Optional<Target> historyTarget(BenchResults results) {
    var a = row(results, "A", false);
    var b = row(results, "B", false);
    if (a.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    double eventsA = a.get().concatMedian(ConcatRun::historyEvents);
    double eventsB = b.get().concatMedian(ConcatRun::historyEvents);
    return Optional.of(
        new Target(
            "History events per job < 100 and alike for 100 (A) and 1,000 (B) segments",
            format("A %.0f, B %.0f", eventsA, eventsB),
            Optional.of(eventsA < 100 && eventsB < 100 && eventsB <= 2 * eventsA)));
  }

  /** Issue 15's "< 400 history events for a 10-hour job (600 × 60 s)". */
  private static Target longJobHistory(RowResult row) {
    double events = row.concatMedian(ConcatRun::historyEvents);
    return new Target(
        "H: history events per job < 400 for 10 hours of audio (600 segments)",
        format(
            "%.0f (concat phase %.0f s)",
            events, row.concatMedian(c -> c.result().concatSeconds())),
        Optional.of(events < 400));
  }

  /**
   * Issue 15's "a 3-segment, 10-second job no slower than today": reported, not judged, since no
   * run of the code before chunks is kept to compare with; below CONCAT_CHUNK_MIN_SECONDS such a
   * job takes the one-pass path it always took.
   */
  private static Target shortJob(RowResult row) {
    double concat = row.concatMedian(ConcatRun::totalSeconds);
    double raw = row.rawMedian(RawRun::totalSeconds);
    return new Target(
        "T: a short job (3 segments, 9 s of audio) end to end",
        format("%.2f s against %.2f s for the script (+%.2f s)", concat, raw, concat - raw),
        Optional.empty());
  }

  /** M4A chunks are on by default; the issue sets no bound for them, so this is reported. */
  private static Target m4a(RowResult row) {
    return new Target(
        "M: set A's segments into an M4A, concat/raw (no bound in the issue)",
        format(
            "%.3f (%.1f s vs %.1f s)",
            row.ratio(),
            row.concatMedian(ConcatRun::totalSeconds),
            row.rawMedian(RawRun::totalSeconds)),
        Optional.empty());
  }

  private static Target ratio(String goal, RowResult row, double bound) {
    double ratio = row.ratio();
    return new Target(
        goal,
        format(
            "%.3f (%.1f s vs %.1f s)",
            ratio, row.concatMedian(ConcatRun::totalSeconds), row.rawMedian(RawRun::totalSeconds)),
        Optional.of(ratio <= bound));
  }

  private static Optional<RowResult> row(BenchResults results, String set, boolean copy) {
    return results.rows().stream()
        .filter(r -> r.set().name().equals(set) && r.streamCopy() == copy)
        .findFirst();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private Targets() {}
}
