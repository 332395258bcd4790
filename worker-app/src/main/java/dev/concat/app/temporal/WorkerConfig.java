package dev.concat.app.temporal;

import dev.concat.activities.ActivitySettings;
import dev.concat.activities.chunk.EncoderCores;
import dev.concat.app.config.ChunkSpread;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.HostIdentity;
import dev.concat.app.config.WorkerTuning;
import dev.concat.contract.ChunkActivities;
import dev.concat.contract.policy.OperatorPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one worker needs, resolved from flags and environment.
 *
 * @param taskQueue the shared queue: workflows and host claims
 * @param maxConcurrentJobs the most jobs this host takes on at once
 * @param chunkSlots the most chunks of spread encodes this worker encodes at once; 0 for none
 * @param shutdownGrace the bound on a shutdown after SIGTERM, from the signal to exit
 * @param sweepInterval how often work directories of jobs that are no longer running are deleted
 * @param chunkSpread when this host spreads its chunked joins over the chunk queue's workers
 * @param activities what the activities are told about this host
 */
public record WorkerConfig(
    String taskQueue,
    int maxConcurrentJobs,
    int chunkSlots,
    Duration shutdownGrace,
    Duration sweepInterval,
    ChunkSpread chunkSpread,
    ActivitySettings activities) {

  public static WorkerConfig of(
      String taskQueue,
      Path workDir,
      HostIdentity host,
      String identity,
      WorkerTuning tuning,
      FfmpegBinaries ffmpeg) {
    requirePositive(
        tuning.maxConcurrentJobs(), "--max-concurrent-jobs (CONCAT_MAX_CONCURRENT_JOBS)");
    requirePositive(
        tuning.downloadParallelism(), "--download-parallelism (CONCAT_DOWNLOAD_PARALLELISM)");
    int chunkSlots = tuning.chunkSlots().orElse(EncoderCores.ofHost().cores());
    if (chunkSlots < 0) {
      throw new IllegalArgumentException(
          "--chunk-slots (CONCAT_CHUNK_SLOTS) must be at least 0, not " + chunkSlots);
    }
    Path absoluteWorkDir = workDir.toAbsolutePath().normalize();
    ActivitySettings activities =
        new ActivitySettings(
                absoluteWorkDir,
                ffmpeg.ffmpeg(),
                ffmpeg.ffprobe(),
                // The launcher exports LD_LIBRARY_PATH for a bundled FFmpeg, and children inherit
                // it.
                Map.of(),
                tuning.downloadParallelism(),
                tuning.progressInterval(),
                tuning.killGrace(),
                identity,
                host.hostTaskQueue(taskQueue, absoluteWorkDir),
                tuning.maxConcurrentJobs())
            .withChunkedEncoding(tuning.chunkedEncoding())
            // A host stages chunks only if it encodes chunks itself: then a job never waits on a
            // fleet where no worker polls the chunk queue.
            .withChunkSpread(tuning.chunkSpread() != ChunkSpread.NEVER && chunkSlots > 0);
    return new WorkerConfig(
        taskQueue,
        tuning.maxConcurrentJobs(),
        chunkSlots,
        tuning.shutdownGrace(),
        tuning.sweepInterval(),
        tuning.chunkSpread(),
        activities);
  }

  /** This configuration under an operator's policy and FFmpeg memory ceiling. */
  public WorkerConfig withLimits(OperatorPolicy policy, long ffmpegMaxMemoryBytes) {
    return new WorkerConfig(
        taskQueue,
        maxConcurrentJobs,
        chunkSlots,
        shutdownGrace,
        sweepInterval,
        chunkSpread,
        activities.withLimits(policy, ffmpegMaxMemoryBytes));
  }

  public String hostTaskQueue() {
    return activities.hostTaskQueue();
  }

  /** The queue any worker's chunk encoders poll for the jobs started on {@link #taskQueue}. */
  public String chunkTaskQueue() {
    return taskQueue + ChunkActivities.QUEUE_SUFFIX;
  }

  public String identity() {
    return activities.workerIdentity();
  }

  private static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
  }
}
