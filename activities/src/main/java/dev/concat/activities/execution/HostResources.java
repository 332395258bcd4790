package dev.concat.activities.execution;

import dev.concat.activities.ActivitySettings;
import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.WorkDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the jobs on one host share. The worker builds it once and hands it to the host claims and
 * the job steps: a claim takes a job slot that the job's steps then hold, one shutdown gate stops
 * both, and a job a step handed back for lack of disk is refused by the next claim.
 *
 * @param workDirs the jobs' work directories, also swept by the worker for stale jobs
 * @param slots the jobs this host runs at once, also read by the worker's sweep
 * @param gate closed when the worker shuts down
 * @param diskShortfalls the jobs this host recently handed back for lack of disk
 * @param usableDisk the work directory's free bytes now
 * @param encoderCores the cores the jobs' chunk encoders share
 */
public record HostResources(
    WorkDirectories workDirs,
    JobSlots slots,
    ShutdownGate gate,
    DiskShortfalls diskShortfalls,
    LongSupplier usableDisk,
    EncoderCores encoderCores) {
  private static final Logger log = LoggerFactory.getLogger(HostResources.class);

  /**
   * The resources of a host whose jobs live under {@code workDir}, {@code jobSlots} at a time, and
   * keep no chunks after they end.
   */
  public static HostResources forWorkDir(Path workDir, int jobSlots) {
    return forWorkDir(workDir, jobSlots, 0);
  }

  /** The resources of the host {@code settings} describe. */
  public static HostResources of(ActivitySettings settings) {
    return forWorkDir(
        settings.workDir(), settings.jobSlots(), settings.chunkedEncoding().cacheBytes());
  }

  /**
   * As {@link #forWorkDir(Path, int)}, the chunks of finished jobs kept in up to {@code
   * chunkCacheBytes} of the work directory's disk.
   */
  private static HostResources forWorkDir(Path workDir, int jobSlots, long chunkCacheBytes) {
    return new HostResources(
        new WorkDirectories(workDir, chunkCacheBytes),
        new JobSlots(jobSlots),
        new ShutdownGate(),
        new DiskShortfalls(),
        () -> DiskSpace.usable(workDir),
        EncoderCores.ofHost());
  }

  /**
   * Stops every running activity: FFmpeg is killed, transfers stopped, the jobs' work directories
   * deleted, and each activity fails with {@code WorkerShutdown} so the workflow moves its job. New
   * claims and steps are refused from now on. Returns when the activities have cleaned up, or after
   * {@code bound}. Call it before stopping the worker factory, so those failures are still reported
   * to Temporal.
   *
   * @return whether any activity was running, that is, whether any job was handed back
   */
  public boolean stopJobs(String workerIdentity, Duration bound) {
    int running = gate.inside();
    log.warn(
        "worker {} shutting down: stopping running jobs (waiting at most {} ms)",
        workerIdentity,
        bound.toMillis());
    int left = gate.closeAndAwait("worker " + workerIdentity + " is shutting down", bound);
    if (left > 0) {
      log.warn(
          "worker {}: {} activities had not stopped after {} ms; their FFmpeg dies with this process",
          workerIdentity,
          left,
          bound.toMillis());
    }
    return running > 0;
  }
}
