package dev.concat.bench;

import dev.concat.app.config.FfmpegBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one benchmark run does.
 *
 * @param sets the data sets to measure, in order (A, B, C; K for the kill-and-resume run)
 * @param repeat how many times each way runs per row; the report takes the median
 * @param quick tiny data sets, for development and the end-to-end test; not a measurement
 * @param throughputJobs jobs of set A run one after another and then all at once; 0 skips that run
 * @param jobSlots the worker's job slots (CONCAT_MAX_CONCURRENT_JOBS)
 * @param downloadParallelism GETs at once, for both ways (CONCAT_DOWNLOAD_PARALLELISM)
 * @param dataDir the cached data sets go in {@code bench-data}, each run's files in {@code
 *     bench-work}
 * @param temporalBinary the {@code temporal} CLI to run the dev server with, or empty for the
 *     in-process server
 * @param commandLine how the run was started, for the report
 */
public record BenchSettings(
    List<String> sets,
    int repeat,
    boolean quick,
    int throughputJobs,
    int jobSlots,
    int downloadParallelism,
    Path dataDir,
    FfmpegBinaries ffmpeg,
    Optional<Path> temporalBinary,
    String commandLine) {

  public BenchSettings {
    sets = List.copyOf(sets);
    for (String set : sets) {
      if (!DataSets.known(set)) {
        throw new IllegalArgumentException(
            "unknown data set '" + set + "'; there are A, B, C and K");
      }
    }
    if (repeat < 1 || throughputJobs < 0 || jobSlots < 1 || downloadParallelism < 1) {
      throw new IllegalArgumentException(
          "--repeat, --max-concurrent-jobs and --download-parallelism must be at "
              + "least 1, --throughput-jobs at least 0");
    }
  }
}
