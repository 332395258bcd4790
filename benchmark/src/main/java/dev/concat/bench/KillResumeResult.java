package dev.concat.bench;

import dev.concat.contract.JobState;
import java.util.Optional;

/**
 * One job joined in chunks twice on the same work directory: once undisturbed, once with its worker
 * killed (kill -9) part way and started again at once. Issue 15's bound: the killed job takes at
 * most the unkilled time, plus the heartbeat timeout that notices the dead worker, plus two chunks
 * (the chunks being encoded at the kill, started over).
 *
 * @param heartbeatSeconds the jobs' heartbeat timeout, as submitted
 * @param unkilledSeconds submit to result, no kill
 * @param unkilledDurationSeconds the unkilled job's output duration, as its result reports it
 * @param unkilledEncode the worker's account of the unkilled job's chunked encode
 * @param killedSeconds submit to result of the killed job, the restart included
 * @param killedDurationSeconds the killed job's output duration, as its result reports it
 * @param kill when and where in the job the worker was killed
 * @param attempts the killed job's host attempts, from its final status
 * @param resumedEncode the restarted worker's account of its encode, when it ran one
 */
record KillResumeResult(
    DataSet set,
    long heartbeatSeconds,
    double unkilledSeconds,
    double unkilledDurationSeconds,
    ChunkedEncodeLog unkilledEncode,
    double killedSeconds,
    double killedDurationSeconds,
    KillPoint kill,
    int attempts,
    Optional<ChunkedEncodeLog> resumedEncode) {

  /** Largest difference between a result's duration and the set's audio. */
  static final double DURATION_TOLERANCE_SECONDS = 0.1;

  /**
   * @param afterSeconds from the killed job's submit to the kill
   * @param restartSeconds from the kill to the new worker polling its task queue (a cold JVM)
   * @param reattemptSeconds from the kill to the job's status showing its next host attempt: the
   *     heartbeat timeout noticing the dead worker, and the restarted one claiming the job
   * @param state the job's state in the last status seen before the kill
   * @param concatenated segments concatenated in that status
   * @param total the job's segments
   */
  record KillPoint(
      double afterSeconds,
      double restartSeconds,
      double reattemptSeconds,
      JobState state,
      int concatenated,
      int total) {}

  /** One chunk's encode time, measured on the unkilled job. */
  double chunkSeconds() {
    return unkilledEncode.secondsPerChunk();
  }

  double boundSeconds() {
    return unkilledSeconds + heartbeatSeconds + 2 * chunkSeconds();
  }

  boolean durationsMatch() {
    return Math.abs(unkilledDurationSeconds - set.audioSeconds()) <= DURATION_TOLERANCE_SECONDS
        && Math.abs(killedDurationSeconds - set.audioSeconds()) <= DURATION_TOLERANCE_SECONDS;
  }

  boolean withinBound() {
    return killedSeconds <= boundSeconds() && durationsMatch();
  }
}
