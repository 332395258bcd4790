package dev.concat.bench;

import dev.concat.contract.rules.S3Uri;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several jobs on one worker: first one after another, then all submitted at once, so the worker's
 * job slots run them side by side. Also measures how long a freed slot stays idle before a queued
 * job claims it.
 */
final class ThroughputRun {
  private final ConcatJobs jobs;
  private final BenchStack stack;
  private final PrintStream log;

  ThroughputRun(ConcatJobs jobs, BenchStack stack, PrintStream log) {
    this.jobs = jobs;
    this.stack = stack;
    this.log = log;
  }

  ThroughputResult run(DataSet set, List<String> uris, int count, int slots, String idPrefix) {
    MachineLoad.Reading before = MachineLoad.read();
    long started = System.nanoTime();
    for (int i = 1; i <= count; i++) {
      String id = idPrefix + "-sequential-" + i;
      submit(id, uris);
      finish(id);
    }
    double sequential = (System.nanoTime() - started) / 1e9;
    log.println(
        String.format(
            Locale.ROOT,
            "bench: throughput: %d jobs of set %s one after another: %.1f s",
            count,
            set.name(),
            sequential));

    started = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      ids.add(idPrefix + "-concurrent-" + i);
      submit(ids.get(i - 1), uris);
    }
    ids.forEach(this::finish);
    double concurrent = (System.nanoTime() - started) / 1e9;
    List<Double> gaps = slotGaps(ids.stream().map(jobs::history).toList(), slots);
    log.println(
        String.format(
            Locale.ROOT,
            "bench: throughput: %d jobs of set %s at once on %d slots: %.1f s; "
                + "slot idle gaps %s s",
            count,
            set.name(),
            slots,
            concurrent,
            gaps));
    return new ThroughputResult(
        set, count, slots, sequential, concurrent, gaps, MachineLoad.othersShareSince(before));
  }

  private void submit(String id, List<String> uris) {
    jobs.submit(ConcatJobs.request(id, uris, output(id), false));
  }

  private void finish(String id) {
    jobs.await(id);
    stack.delete(S3Uri.parse(output(id)));
  }

  private static String output(String id) {
    return "s3://" + BenchStack.BUCKET + "/out/" + id + ".mp3";
  }

  /**
   * For every job beyond the first {@code slots}: the time from the k-th slot being given back (the
   * k-th upload to finish) to the k-th queued job's claim succeeding. The worker gives the slot
   * back a moment before the upload's completion reaches Temporal, so a claim caught waiting can be
   * recorded first: that counts as no gap.
   */
  static List<Double> slotGaps(List<JobHistory> histories, int slots) {
    List<Instant> claims = histories.stream().map(JobHistory::claimed).sorted().toList();
    List<Instant> releases = histories.stream().map(JobHistory::uploaded).sorted().toList();
    List<Double> gaps = new ArrayList<>();
    for (int i = slots; i < claims.size(); i++) {
      gaps.add(
          Math.max(
              0, Duration.between(releases.get(i - slots), claims.get(i)).toMillis() / 1000.0));
    }
    return gaps;
  }
}
