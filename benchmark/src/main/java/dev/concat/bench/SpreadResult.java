package dev.concat.bench;

import java.util.Map;

/**
 * One chunked job, spread over the chunk queue, timed on one worker and on two, each worker with
 * one chunk slot. The target: two workers at least 1.7 times as fast as one.
 *
 * @param oneWorkerSeconds submit to result with one worker
 * @param twoWorkersSeconds submit to result with two
 * @param oneWorkerDurationSeconds the one-worker job's output duration, as its result reports it
 * @param twoWorkersDurationSeconds the two-worker job's output duration
 * @param chunksByWorker in the two-worker run, the chunks each worker encoded (the host first)
 */
record SpreadResult(
    DataSet set,
    double oneWorkerSeconds,
    double twoWorkersSeconds,
    double oneWorkerDurationSeconds,
    double twoWorkersDurationSeconds,
    Map<String, Long> chunksByWorker) {

  static final double TARGET_SPEEDUP = 1.7;

  double speedup() {
    return oneWorkerSeconds / twoWorkersSeconds;
  }

  boolean durationsMatch() {
    double tolerance = KillResumeResult.DURATION_TOLERANCE_SECONDS;
    return Math.abs(oneWorkerDurationSeconds - set.audioSeconds()) <= tolerance
        && Math.abs(twoWorkersDurationSeconds - set.audioSeconds()) <= tolerance;
  }

  boolean withinTarget() {
    return speedup() >= TARGET_SPEEDUP && durationsMatch();
  }
}
