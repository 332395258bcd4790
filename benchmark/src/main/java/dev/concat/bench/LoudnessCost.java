package dev.concat.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What loudness normalisation costs on one data set: the same jobs as its re-encoding row, with
 * {@code loudness} set, against that row's concat runs. Normalising adds a meter pass over the
 * joined audio before the encode, and an encode (and its measure) again when the encoded file
 * misses the target. Counted in CPU seconds (FFmpeg's, and the worker JVM's, where the Java
 * loudness meter runs), which a shared machine disturbs far less than wall time, and in the concat
 * phase's wall time.
 *
 * @param plain the data set's re-encoding row (no normalisation)
 * @param normalised the same jobs asking for {@code targetLufs}
 */
record LoudnessCost(RowResult plain, double targetLufs, List<ConcatRun> normalised) {

  LoudnessCost {
    normalised = List.copyOf(normalised);
  }

  double plainMedian(ToDoubleFunction<ConcatRun> metric) {
    return plain.concatMedian(metric);
  }

  double normalisedMedian(ToDoubleFunction<ConcatRun> metric) {
    return Median.of(normalised.stream().mapToDouble(metric).toArray());
  }

  /** CPU seconds normalising adds: FFmpeg's encodes and decodes, and the worker's own meters. */
  double extraCpuSeconds() {
    return normalisedMedian(LoudnessCost::allCpu) - plainMedian(LoudnessCost::allCpu);
  }

  /** {@link #extraCpuSeconds} as a share of the plain job's encode CPU. */
  double shareOfEncode() {
    return extraCpuSeconds() / plainMedian(ConcatRun::ffmpegCpuSeconds);
  }

  static double allCpu(ConcatRun run) {
    return run.ffmpegCpuSeconds() + run.meterCpuSeconds() + run.workerCpuSeconds();
  }
}
