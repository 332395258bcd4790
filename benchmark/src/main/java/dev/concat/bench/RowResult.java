package dev.concat.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the results: a data set joined the raw way and through concat, a few times each.
 *
 * @param othersCpuShare the share of the machine's CPU other processes used while the row ran
 */
record RowResult(
    DataSet set,
    boolean streamCopy,
    List<RawRun> raw,
    List<ConcatRun> concat,
    double othersCpuShare) {

  String label() {
    return set.name() + (streamCopy ? " (stream copy)" : "");
  }

  double rawMedian(ToDoubleFunction<RawRun> metric) {
    return Median.of(raw.stream().mapToDouble(metric).toArray());
  }

  double concatMedian(ToDoubleFunction<ConcatRun> metric) {
    return Median.of(concat.stream().mapToDouble(metric).toArray());
  }

  double ratio() {
    return concatMedian(ConcatRun::totalSeconds) / rawMedian(RawRun::totalSeconds);
  }

  double ffmpegRatio() {
    return concatMedian(ConcatRun::ffmpegSeconds) / rawMedian(RawRun::ffmpegSeconds);
  }

  long workerPeakRssBytes() {
    return concat.stream().mapToLong(ConcatRun::workerPeakRssBytes).max().orElse(0);
  }

  long ffmpegPeakRssBytes() {
    return concat.stream().mapToLong(ConcatRun::ffmpegPeakRssBytes).max().orElse(0);
  }
}
