package dev.concat.app.config;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How much one worker takes on and how it stops. */
public final class WorkerTuning {
  @Option(names = "--max-concurrent-jobs", paramLabel = "N", defaultValue = "2",
      description = "Most job steps (download, FFmpeg, upload) this worker runs at once; FFmpeg is the heavy part. "
          + "Env CONCAT_MAX_CONCURRENT_JOBS; default: ${DEFAULT-VALUE}.")
  private int maxConcurrentJobs;

  @Option(names = "--download-parallelism", paramLabel = "N", defaultValue = "8",
      description = "Segments fetched at once per job. Env CONCAT_DOWNLOAD_PARALLELISM; default: ${DEFAULT-VALUE}.")
  private int downloadParallelism;

  @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Least time between two progress signals to a job's workflow. Env CONCAT_PROGRESS_INTERVAL; default: ${DEFAULT-VALUE}.")
  private Duration progressInterval;

  @Option(names = "--kill-grace", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "Time FFmpeg gets after SIGTERM before SIGKILL. Env CONCAT_KILL_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration killGrace;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "On SIGTERM, time running steps get to stop and report before the worker exits. "
          + "Env CONCAT_SHUTDOWN_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration shutdownGrace;

  public int maxConcurrentJobs() {
    return maxConcurrentJobs;
  }

  public int downloadParallelism() {
    return downloadParallelism;
  }

  public Duration progressInterval() {
    return progressInterval;
  }

  public Duration killGrace() {
    return killGrace;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }
}
