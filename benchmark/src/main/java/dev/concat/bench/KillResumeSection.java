package dev.concat.bench;

import java.util.Locale;

/** The report's section on set K: the job unkilled, the job killed and resumed, the bound. */
final class KillResumeSection {
  private final KillResumeResult result;
  private final StringBuilder out = new StringBuilder();

  private KillResumeSection(KillResumeResult result) {
    this.result = result;
  }

  static String markdown(KillResumeResult measured) {
    return new KillResumeSection(measured).write();
  }

  private String write() {
    KillResumeResult.KillPoint kill = result.kill();
    line("## Worker killed (kill -9) and restarted on the same host (set %s)", result.set().name());
    line("");
    line(
        "Set %s: %s, %s. One worker with one job slot joins it in chunks of 60 s "
            + "(`CONCAT_CHUNK_MIN_SECONDS=60`) on its own cores (`CONCAT_CHUNK_SPREAD=false`), re-encoding, heartbeat timeout %d s; one untimed warm-up "
            + "job on 3 segments. Then the same segments as another job: its worker is killed once the job's "
            + "status shows %.0f %% of the segments concatenated and started again at once on the same work "
            + "directory and task queue. Each timed from submit to the result.",
        result.set().name(),
        result.set().description(),
        ResultsReport.minutes(result.set().audioSeconds()),
        result.heartbeatSeconds(),
        100 * KillResumeRun.KILL_AT);
    line("");
    line("| job | total | chunked encode | output duration |");
    line("|---|---:|---|---:|");
    line(
        "| unkilled | %.2f s | %s | %.2f s |",
        result.unkilledSeconds(),
        encode(result.unkilledEncode()),
        result.unkilledDurationSeconds());
    line(
        "| killed at %.1f s (%s, %d of %d segments concatenated), restarted | %.2f s | %s | %.2f s |",
        kill.afterSeconds(),
        kill.state(),
        kill.concatenated(),
        kill.total(),
        result.killedSeconds(),
        result.resumedEncode().map(KillResumeSection::encode).orElse("none after the restart"),
        result.killedDurationSeconds());
    line("");
    line(
        "A chunk: %.2f s, the unkilled encode's time over its chunks per core. Bound: %.2f + %d + 2 × %.2f = "
            + "%.2f s; the killed job took %.2f s (%+.2f s over the unkilled one) in %d host attempts. The "
            + "restarted worker polled its task queue %.1f s after the kill, and the job's status showed its next "
            + "host attempt %.1f s after the kill (the heartbeat timeout noticing the dead worker, then a claim by "
            + "the restarted one). The bound has no term of its own for the restart: it runs while the heartbeat "
            + "timeout runs out, and what it takes beyond that timeout adds to the total.",
        result.chunkSeconds(),
        result.unkilledSeconds(),
        result.heartbeatSeconds(),
        result.chunkSeconds(),
        result.boundSeconds(),
        result.killedSeconds(),
        result.killedSeconds() - result.unkilledSeconds(),
        result.attempts(),
        kill.restartSeconds(),
        kill.reattemptSeconds());
    line("");
    return out.toString();
  }

  private static String encode(ChunkedEncodeLog e) {
    return String.format(
        Locale.ROOT,
        "%d chunks (%d kept from an earlier attempt) on up to %d cores in %.2f s; PCM decode %s",
        e.chunks(),
        e.keptChunks(),
        e.cores(),
        e.encodeSeconds(),
        e.decodeKept() ? "kept" : String.format(Locale.ROOT, "%.2f s", e.decodeSeconds()));
  }

  private void line(String pattern, Object... args) {
    out.append(args.length == 0 ? pattern : String.format(Locale.ROOT, pattern, args)).append('\n');
  }
}
