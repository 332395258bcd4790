package dev.concat.bench;

import dev.concat.contract.ConcatResult;

/**
 * One job through concat: submitted by the client, run by the worker JVM.
 *
 * @param totalSeconds from submit to the result as the client sees it
 * @param result the job's own phase timings
 * @param ffmpegSeconds the lifetimes of the FFmpeg processes the worker ran for it (ffprobe not
 *     included)
 * @param ffmpegCpuSeconds their user and system time
 * @param processesSeen FFmpeg runs that join or decode, FFmpeg runs that probe, and ffprobe runs
 *     the sampler saw (a very short one can slip between two looks)
 * @param historyEvents events in the job's workflow history
 * @param workerPeakRssBytes the worker JVM's peak resident memory during the job
 * @param ffmpegPeakRssBytes the largest resident size of one FFmpeg or ffprobe process the worker
 *     ran
 * @param workerCpuSeconds CPU time the worker JVM itself used for the job (FFmpeg and ffprobe not
 *     included)
 * @param progressSignals progress signals in the job's history (each also brings a workflow task)
 * @param meterCpuSeconds user and system time of the FFmpeg runs through the loudness meter (the
 *     measure of each encoded file, and the pass before the gain when the job normalises)
 */
record ConcatRun(
    double totalSeconds,
    ConcatResult result,
    double ffmpegSeconds,
    double ffmpegCpuSeconds,
    ProcessCounts processesSeen,
    int historyEvents,
    long workerPeakRssBytes,
    long ffmpegPeakRssBytes,
    double workerCpuSeconds,
    int progressSignals,
    double meterCpuSeconds) {

  /** How many processes of each kind the worker ran for the job. */
  record ProcessCounts(long ffmpeg, long probes, long meters, long ffprobe) {
    @Override
    public String toString() {
      return ffmpeg + " / " + probes + " / " + meters + " / " + ffprobe;
    }
  }

  /**
   * Time outside the three phases: submitting, the claim, scheduling the activities, reporting
   * back.
   */
  double orchestrationSeconds() {
    return totalSeconds
        - result.downloadSeconds()
        - result.concatSeconds()
        - result.uploadSeconds();
  }

  /**
   * The concat phase beyond FFmpeg's joins and decodes: probing the segments, and metering the
   * output.
   */
  double probeSeconds() {
    return result.concatSeconds() - ffmpegSeconds;
  }
}
