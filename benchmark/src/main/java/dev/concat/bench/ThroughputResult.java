package dev.concat.bench;

import java.util.List;

/**
 * The same jobs one after another and all at once on one worker.
 *
 * @param slotGapsSeconds for each job that had to wait for a slot: from a slot being given back (an
 *     upload finished) to that job's claim succeeding
 */
record ThroughputResult(
    DataSet set,
    int jobs,
    int slots,
    double sequentialSeconds,
    double concurrentSeconds,
    List<Double> slotGapsSeconds,
    double othersCpuShare) {

  /** Hours of audio joined per hour of wall time. */
  double audioHoursPerHour(double wallSeconds) {
    return jobs * set.audioSeconds() / wallSeconds;
  }
}
