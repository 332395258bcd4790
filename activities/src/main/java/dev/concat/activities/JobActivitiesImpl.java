package dev.concat.activities;

import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.DiskShortfalls;
import dev.concat.activities.execution.JobSlots;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.WorkerShuttingDown;
import dev.concat.activities.ffmpeg.SegmentJoiner;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.storage.OutputBucketCheck;
import dev.concat.activities.storage.OutputGuard;
import dev.concat.activities.storage.OutputUploader;
import dev.concat.activities.storage.SegmentDownloader;
import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.LocalDiskFault;
import dev.concat.activities.workdir.WorkDirectories;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The host-bound steps of a job, and what they share: the work directories, the shutdown gate,
 * and the rule that a stopped job (cancelled, timed out, worker shutting down) leaves no files.
 */
public final class JobActivitiesImpl implements JobActivities {
  private static final Logger log = LoggerFactory.getLogger(JobActivitiesImpl.class);
  /** The stall limit when the workflow set no heartbeat timeout. */
  private static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(60);

  private final ActivitySettings settings;
  private final ProgressReporter reporter;
  private final WorkDirectories workDirs;
  private final ShutdownGate gate = new ShutdownGate();
  private final DiskShortfalls diskShortfalls = new DiskShortfalls();
  private final JobSlots slots;
  private final SegmentDownloader downloader;
  private final SegmentJoiner joiner;
  private final OutputUploader uploader;
  private final OutputBucketCheck outputBucket;
  private final OutputGuard outputGuard;
  private final OutputObject outputDefaults;

  public JobActivitiesImpl(ActivitySettings settings, S3Client s3, S3TransferManager transfer, ProgressReporter progress) {
    this(settings, s3, transfer, progress, JobMetrics.none());
  }

  /** @param metrics told of every segment and output moved and every FFmpeg run */
  public JobActivitiesImpl(ActivitySettings settings, S3Client s3, S3TransferManager transfer, ProgressReporter progress,
      JobMetrics metrics) {
    this(settings, s3, transfer, progress, metrics, OutputObject.NONE);
  }

  /** @param outputDefaults the operator's output object settings, under each request's own */
  public JobActivitiesImpl(ActivitySettings settings, S3Client s3, S3TransferManager transfer, ProgressReporter progress,
      JobMetrics metrics, OutputObject outputDefaults) {
    this.settings = settings;
    this.outputDefaults = outputDefaults;
    this.reporter = progress;
    this.workDirs = new WorkDirectories(settings.workDir());
    this.slots = new JobSlots(settings.jobSlots());
    this.downloader = new SegmentDownloader(s3, settings.downloadParallelism(), gate, settings.killGrace(),
        settings.hostTaskQueue(), metrics);
    this.joiner = new SegmentJoiner(settings.ffmpeg(), settings.ffprobe(), settings.ffmpegEnvironment(), gate,
        settings.killGrace(), metrics);
    this.uploader = new OutputUploader(transfer, s3, gate, metrics);
    this.outputBucket = new OutputBucketCheck(s3);
    this.outputGuard = new OutputGuard(s3);
  }

  @Override
  public DownloadResult download(DownloadInput input) {
    return run("download", input.jobId(), (dir, context) -> {
      List<S3Uri> segments = JobInputs.segments(dir.jobId(), input.segments());
      if (input.output() != null) {
        S3Uri output = JobInputs.output(dir.jobId(), input.output());
        outputBucket.requireExists(dir.jobId(), output);
        // Before any GET: a job that may not write its output should not join it first.
        outputGuard.requireWritable(dir.jobId(), output, Boolean.TRUE.equals(input.overwrite()));
      }
      S3Uri cover = input.cover() == null ? null : JobInputs.cover(dir.jobId(), input.cover());
      if (cover != null) {
        downloader.requireCover(dir.jobId(), cover);
      }
      DownloadResult result = downloader.download(dir, segments, resumePoint(dir.jobId(), input, context),
          progress(dir.jobId(), "download", segments.size(), context), stallLimit(context).dividedBy(2));
      if (cover != null) {
        downloader.fetchCover(dir, cover);
      }
      return result;
    });
  }

  @Override
  public ConcatOutput concat(ConcatInput input) {
    return run("concat", input.jobId(), (dir, context) -> {
      List<S3Uri> segments = JobInputs.segments(dir.jobId(), input.segments());
      OutputFormat format = JobInputs.format(dir.jobId(), JobInputs.output(dir.jobId(), input.output()));
      return joiner.join(dir, segments, format, input.allowStreamCopy(), input.audioOrDefault(), stallLimit(context),
          progress(dir.jobId(), "concat", segments.size(), context));
    });
  }

  @Override
  public UploadResult upload(UploadInput input) {
    return run("upload", input.jobId(), (dir, context) -> {
      S3Uri target = JobInputs.output(dir.jobId(), input.output());
      OutputFormat format = JobInputs.format(dir.jobId(), target);
      Path file = dir.output(format.extension());
      if (!Files.isRegularFile(file)) {
        throw ApplicationFailure.newFailure("job " + dir.jobId() + ": the joined file " + file
            + " is not on this host; the job must run again from download", FailureTypes.WORK_DIR_LOST);
      }
      OutputObject object = input.object() == null ? outputDefaults : input.object().over(outputDefaults);
      UploadResult result = uploader.upload(dir.jobId(), file, target, format, input.overwriteAllowed(), object,
          progress(dir.jobId(), "upload", file.toFile().length(), context));
      dir.delete();
      return result;
    });
  }

  @Override
  public void cleanup(String jobId) {
    run("cleanup", jobId, (dir, context) -> {
      boolean existed = dir.delete();
      log.info("job {}: work directory {}", dir.jobId(), existed ? "deleted" : "was already gone");
      return null;
    });
  }

  /**
   * Stops every running activity: FFmpeg is killed, transfers stopped, the jobs' work directories
   * deleted, and each activity fails with {@code WorkerShutdown} so the workflow moves its job.
   * New claims and steps are refused from now on. Returns when the activities have cleaned up, or
   * after {@code bound}. Call it before stopping the worker factory, so those failures are still
   * reported to Temporal.
   *
   * @return whether any activity was running, that is, whether any job was handed back
   */
  public boolean shutdown(Duration bound) {
    int running = gate.inside();
    log.warn("worker {} shutting down: stopping running jobs (waiting at most {} ms)", settings.workerIdentity(),
        bound.toMillis());
    int left = gate.closeAndAwait("worker " + settings.workerIdentity() + " is shutting down", bound);
    if (left > 0) {
      log.warn("worker {}: {} activities had not stopped after {} ms; their FFmpeg dies with this process",
          settings.workerIdentity(), left, bound.toMillis());
    }
    return running > 0;
  }

  /** The host claims of this host, sharing its job slots and its shutdown. */
  public HostActivities hostClaims() {
    return new HostActivitiesImpl(settings.hostTaskQueue(), settings.workerIdentity(), slots, gate::isClosed,
        diskShortfalls, () -> DiskSpace.usable(settings.workDir()));
  }

  /** The job slots, for the sweep to know which jobs are on this host. */
  public JobSlots slots() {
    return slots;
  }

  /** The work directories, for the worker's startup sweep of stale jobs. */
  public WorkDirectories workDirectories() {
    return workDirs;
  }

  @FunctionalInterface
  private interface Phase<T> {
    T run(JobWorkDir dir, ActivityExecutionContext context);
  }

  private <T> T run(String phase, String rawJobId, Phase<T> body) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try (var logContext = ActivityLogContext.enter()) {
      JobWorkDir dir = workDirs.job(JobInputs.jobId(rawJobId));
      ShutdownGate.Pass pass;
      try {
        pass = gate.enter();
      } catch (WorkerShuttingDown e) {
        throw interrupted(dir, phase, e);
      }
      // The pass is held until the cleanup below is done, so shutdown() waits for it; the step
      // too, so a later step of the same job never finds its files half deleted.
      try (pass) {
        JobSlots.Step step = startStep(dir.jobId(), phase);
        try {
          T result = body.run(dir, context);
          if (phase.equals("upload") || phase.equals("cleanup")) {
            step.jobLeaves();
          }
          return result;
        } catch (WorkerShuttingDown e) {
          step.jobLeaves();
          throw interrupted(dir, phase, e);
        } catch (LocalDiskFault e) {
          // Not S3's fault and not the input's: free the disk now, and let another host have a go.
          step.jobLeaves();
          dir.delete();
          diskShortfalls.record(dir.jobId(), e.neededBytes());
          log.warn("job {}: {} failed on this host's disk ({}); work directory deleted, the job moves to another host: {}",
              dir.jobId(), phase, e.failureType(), e.getMessage());
          throw e.toFailure(settings.workerIdentity());
        } catch (ActivityCompletionException e) {
          step.jobLeaves();
          dir.delete();
          log.warn("job {}: {} stopped because Temporal ended the attempt ({}); work directory deleted",
              dir.jobId(), phase, e.getClass().getSimpleName());
          throw e;
        } catch (RuntimeException | Error e) {
          // The workflow runs the job again from a new claim, on this host or another.
          step.jobLeaves();
          throw e;
        } finally {
          step.close();
        }
      }
    }
  }

  /** Waits for an earlier step of the same job that is still stopping (its FFmpeg being killed). */
  private JobSlots.Step startStep(String jobId, String phase) {
    Duration wait = settings.killGrace().multipliedBy(2).plusSeconds(10);
    try {
      return slots.start(jobId, wait);
    } catch (IllegalStateException e) {
      throw ApplicationFailure.newFailure("job " + jobId + ": " + phase + " could not start on worker "
          + settings.workerIdentity() + " because " + e.getMessage(), FailureTypes.HOST_UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShuttingDown("worker " + settings.workerIdentity() + " was interrupted");
    }
  }

  private ApplicationFailure interrupted(JobWorkDir dir, String phase, WorkerShuttingDown e) {
    dir.delete();
    log.warn("job {}: {} interrupted because {}; work directory deleted, the job moves to another host",
        dir.jobId(), phase, e.getMessage());
    return ApplicationFailure.newFailure(
        "job " + dir.jobId() + ": " + phase + " interrupted because " + e.getMessage(), FailureTypes.WORKER_SHUTDOWN);
  }

  /** How long FFmpeg or a GET may go without progress: the heartbeat timeout, which would catch it anyway. */
  private static Duration stallLimit(ActivityExecutionContext context) {
    Duration heartbeatTimeout = context.getInfo().getHeartbeatTimeout();
    return heartbeatTimeout == null || heartbeatTimeout.isZero() ? DEFAULT_STALL_LIMIT : heartbeatTimeout;
  }

  private PhaseProgress progress(String jobId, String phase, long total, ActivityExecutionContext context) {
    return new PhaseProgress(jobId, phase, total, context, reporter, settings.progressInterval(),
        settings.workerIdentity());
  }

  /**
   * This attempt's own heartbeat details when Temporal retried it, otherwise the checkpoint the
   * workflow kept from the lost download of an earlier run.
   */
  private static DownloadCheckpoint resumePoint(String jobId, DownloadInput input, ActivityExecutionContext context) {
    try {
      return context.getHeartbeatDetails(DownloadCheckpoint.class)
          .or(() -> Optional.ofNullable(input.resumeFrom()))
          .map(JobActivitiesImpl::complete)
          .orElse(DownloadCheckpoint.none());
    } catch (RuntimeException e) {
      log.warn("job {}: ignoring unreadable heartbeat details: {}", jobId, e.toString());
      return DownloadCheckpoint.none();
    }
  }

  /** Fills the fields a checkpoint from an older worker version lacks. */
  private static DownloadCheckpoint complete(DownloadCheckpoint c) {
    return new DownloadCheckpoint(c.host() == null ? "" : c.host(), c.completed() == null ? "" : c.completed(),
        c.seconds());
  }
}
