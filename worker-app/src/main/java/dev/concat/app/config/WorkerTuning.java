package dev.concat.app.config;

import dev.concat.activities.chunk.ChunkedEncoding;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How much one worker takes on and how it stops. */
public final class WorkerTuning {
  @Option(
      names = "--max-concurrent-jobs",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Most jobs this worker takes on at once (a job holds its slot from claim to upload; FFmpeg is "
              + "the heavy part). A worker with no free slot leaves new jobs to others. "
              + "Env CONCAT_MAX_CONCURRENT_JOBS; default: ${DEFAULT-VALUE}.")
  private int maxConcurrentJobs;

  @Option(
      names = "--download-parallelism",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "Segments fetched at once per job. Env CONCAT_DOWNLOAD_PARALLELISM; default: ${DEFAULT-VALUE}.")
  private int downloadParallelism;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "Least time between two progress signals to a job's workflow. Env CONCAT_PROGRESS_INTERVAL; default: ${DEFAULT-VALUE}.")
  private Duration progressInterval;

  @Option(
      names = "--kill-grace",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Time FFmpeg gets after SIGTERM before SIGKILL. Env CONCAT_KILL_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration killGrace;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, the bound on the whole shutdown: polling stops, FFmpeg is killed, the jobs' "
              + "files are deleted and their steps handed back, then the worker exits. "
              + "Env CONCAT_SHUTDOWN_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration shutdownGrace;

  @Option(
      names = "--sweep-interval",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How often the worker deletes the work directories of jobs that ended or moved to another "
              + "worker (also done at start). Env CONCAT_SWEEP_INTERVAL; default: ${DEFAULT-VALUE}.")
  private Duration sweepInterval;

  @Option(
      names = "--chunk-min-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + ChunkedEncoding.DEFAULT_MIN_SECONDS,
      description =
          "Re-encoded MP3 joins at least this long are encoded in chunks on every core the "
              + "worker's other jobs leave free; shorter ones by one FFmpeg; 0 encodes none in chunks. "
              + "Env CONCAT_CHUNK_MIN_SECONDS; default: ${DEFAULT-VALUE} (off: slower on 2 cores).")
  private long chunkMinSeconds = ChunkedEncoding.DEFAULT_MIN_SECONDS;

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

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public ChunkedEncoding chunkedEncoding() {
    return new ChunkedEncoding(
        Duration.ofSeconds(chunkMinSeconds), ChunkedEncoding.DEFAULT_CHUNK_LENGTH);
  }
}
