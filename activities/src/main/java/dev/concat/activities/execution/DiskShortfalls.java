package dev.concat.activities.execution;

import dev.concat.activities.workdir.DiskSpace;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The jobs this host recently handed back for lack of disk, and how much each needed. The host
 * claim refuses such a job for a while unless the space has come free, so the workflow's rerun
 * reaches another worker instead of failing here again; after {@link #HOLD} this host may take it
 * again (a fleet of one still uses up the job's host attempts and fails it, rather than waiting for
 * its deadline).
 */
public final class DiskShortfalls {
  /** Long enough for the claim's retries (every 1 to 5 s) to reach every other worker. */
  public static final Duration HOLD = Duration.ofSeconds(30);

  private record Shortfall(long neededBytes, long atNanos) {}

  private final Map<String, Shortfall> jobs = new ConcurrentHashMap<>();

  public void record(String jobId, long neededBytes) {
    jobs.put(jobId, new Shortfall(neededBytes, System.nanoTime()));
  }

  /**
   * Why this host should not take {@code jobId} now, if it should not: it lacked disk for the job
   * less than {@link #HOLD} ago and {@code usableBytes} still says too little.
   */
  public Optional<String> refusal(String jobId, LongSupplier usableBytes) {
    Shortfall shortfall = jobs.get(jobId);
    if (shortfall == null) {
      return Optional.empty();
    }
    if (System.nanoTime() - shortfall.atNanos() > HOLD.toNanos()) {
      jobs.remove(jobId, shortfall);
      return Optional.empty();
    }
    long usable = usableBytes.getAsLong();
    if (usable >= shortfall.neededBytes()) {
      return Optional.empty();
    }
    return Optional.of(
        "lacks disk for it ("
            + DiskSpace.mib(usable)
            + " free, "
            + DiskSpace.mib(shortfall.neededBytes())
            + " needed)");
  }
}
