package dev.concat.bench;

import java.util.Locale;

/** The report's section on set S: one job, spread over one worker's chunk slot, then two. */
final class SpreadSection {
  private SpreadSection() {}

  static String markdown(SpreadResult r) {
    StringBuilder out = new StringBuilder();
    out.append(
            String.format(
                Locale.ROOT,
                "## A chunked encode spread over workers (set %s)%n%n"
                    + "Set %s: %s, %s, re-encoded in chunks of 60 s (`CONCAT_CHUNK_MIN_SECONDS=60`)"
                    + " spread over the chunk queue (`CONCAT_CHUNK_SPREAD=true`) in runs of 20 minutes"
                    + " (`CONCAT_CHUNK_RUN_SECONDS`; 60 s for the quick set). Each worker has one"
                    + " job slot and one chunk slot (`CONCAT_CHUNK_SLOTS=1`); fresh workers and task"
                    + " queue per run, one untimed warm-up job on 3 segments; timed from submit to the"
                    + " result. All workers share this machine's cores: on a machine with fewer cores"
                    + " than encoders and a host, the second worker's encoder competes with the first"
                    + " and with the host's decode, staging and measuring.%n%n",
                r.set().name(),
                r.set().name(),
                r.set().description(),
                ResultsReport.minutes(r.set().audioSeconds())))
        .append("| workers | total | output duration |\n|---:|---:|---:|\n")
        .append(
            String.format(
                Locale.ROOT,
                "| 1 | %.2f s | %.2f s |%n| 2 | %.2f s | %.2f s |%n%n",
                r.oneWorkerSeconds(),
                r.oneWorkerDurationSeconds(),
                r.twoWorkersSeconds(),
                r.twoWorkersDurationSeconds()))
        .append(
            String.format(
                Locale.ROOT,
                "Two workers: %.2f× as fast as one (target ≥ %.1f×); chunks encoded by each worker"
                    + " (the server's record): %s.%n%n",
                r.speedup(),
                SpreadResult.TARGET_SPEEDUP,
                r.chunksByWorker()));
    return out.toString();
  }
}
