package dev.concat.activities;

import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.execution.JobSlots;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ProgressThreads;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.WorkerShuttingDown;
import dev.concat.activities.execution.WorkflowProgressChannel;
import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.SegmentJoiner;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.storage.CopySource;
import dev.concat.activities.storage.OutputBucketCheck;
import dev.concat.activities.storage.OutputGuard;
import dev.concat.activities.storage.OutputUploader;
import dev.concat.activities.storage.SegmentDownloader;
import dev.concat.activities.storage.StagingArea;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.LocalDiskFault;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadCheckpoint;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobActivities;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.OutputObject;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import dev.concat.contract.policy.PolicyChecks;
import dev.concat.contract.rules.S3Uri;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The host-bound steps of a job, on the host's resources the worker hands in (work directories, job
 * slots, shutdown gate), and the rule that a stopped job (cancelled, timed out, worker shutting
 * down) leaves no files.
 */
public final class JobActivitiesImpl implements JobActivities {
  private static final Logger log = LoggerFactory.getLogger(JobActivitiesImpl.class);

  /** The stall limit when the workflow set no heartbeat timeout. */
  private static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(60);

  private final ActivitySettings settings;

  /**
   * The SDK stops an activity whose heartbeats went unacknowledged for the heartbeat timeout plus
   * this buffer (5 s by default; see its HeartbeatContextImpl). One second instead: a cut-off
   * worker stops about when the server gives its work to another worker, not 5 s of FFmpeg later,
   * and a heartbeat sent at 0.8 of the timeout still has room for a busy machine's delays.
   */
  private static final String LOCAL_HEARTBEAT_TIMEOUT_BUFFER =
      "temporal.activity.localTimeoutBufferMs";

  private static final String LOCAL_HEARTBEAT_TIMEOUT_BUFFER_MILLIS = "1000";

  private final Function<ActivityExecutionContext, ProgressReporter> reporters;
  private final ExecutorService progressThreads = ProgressThreads.create();
  private final HostResources host;
  private final SegmentDownloader downloader;
  private final SegmentJoiner joiner;
  private final S3Client s3;
  private final OutputUploader uploader;
  private final OutputBucketCheck outputBucket;
  private final OutputGuard outputGuard;
  private final OutputObject outputDefaults;
  private final ChunkFleet fleet;

  /**
   * Progress goes to {@code progress} instead of the job's workflow: for tests of the activities
   * alone.
   */
  public JobActivitiesImpl(
      ActivitySettings settings,
      HostResources host,
      S3Client s3,
      S3TransferManager transfer,
      ProgressReporter progress) {
    this(settings, host, s3, transfer, progress, JobMetrics.none(), OutputObject.NONE);
  }

  /** As above, with metrics and the operator's output object settings. */
  public JobActivitiesImpl(
      ActivitySettings settings,
      HostResources host,
      S3Client s3,
      S3TransferManager transfer,
      ProgressReporter progress,
      JobMetrics metrics,
      OutputObject outputDefaults) {
    this(
        settings,
        host,
        s3,
        transfer,
        context -> progress,
        metrics,
        outputDefaults,
        ChunkFleet.ASSUMED);
  }

  /**
   * Each activity reports its progress to its own job's workflow, with the client it runs under.
   *
   * @param host this host's resources, shared with its host claims
   * @param metrics told of every segment and output moved and every FFmpeg run
   * @param outputDefaults the operator's output object settings, under each request's own
   * @param fleet asked, for each chunked join that may be spread, whether another worker would take
   *     chunks: a join is spread only then
   */
  public JobActivitiesImpl(
      ActivitySettings settings,
      HostResources host,
      S3Client s3,
      S3TransferManager transfer,
      JobMetrics metrics,
      OutputObject outputDefaults,
      ChunkFleet fleet) {
    this(
        settings,
        host,
        s3,
        transfer,
        context -> new WorkflowProgressChannel(context.getWorkflowClient()),
        metrics,
        outputDefaults,
        fleet);
  }

  private JobActivitiesImpl(
      ActivitySettings settings,
      HostResources host,
      S3Client s3,
      S3TransferManager transfer,
      Function<ActivityExecutionContext, ProgressReporter> reporters,
      JobMetrics metrics,
      OutputObject outputDefaults,
      ChunkFleet fleet) {
    if (System.getProperty(LOCAL_HEARTBEAT_TIMEOUT_BUFFER) == null) {
      System.setProperty(LOCAL_HEARTBEAT_TIMEOUT_BUFFER, LOCAL_HEARTBEAT_TIMEOUT_BUFFER_MILLIS);
    }
    this.settings = settings;
    this.fleet = fleet;
    this.outputDefaults = outputDefaults;
    this.reporters = reporters;
    this.host = host;
    ShutdownGate gate = host.gate();
    this.downloader =
        new SegmentDownloader(
            s3,
            settings.downloadParallelism(),
            gate,
            settings.killGrace(),
            settings.hostTaskQueue(),
            metrics,
            settings.policy().maxInputBytes(),
            settings.policy().inputs());
    this.joiner =
        new SegmentJoiner(
            settings.ffmpeg(),
            settings.ffprobe(),
            new ProcessLauncher(settings.ffmpegEnvironment(), settings.ffmpegMaxMemoryBytes()),
            gate,
            settings.killGrace(),
            metrics,
            settings.policy().maxDecodedSeconds(),
            settings.chunkedEncoding(),
            host.encoderCores());
    this.uploader = new OutputUploader(transfer, s3, gate, metrics);
    this.outputBucket = new OutputBucketCheck(s3);
    this.outputGuard = new OutputGuard(s3);
    this.s3 = s3;
  }

  @Override
  public DownloadResult download(DownloadInput input) {
    return run(
        "download",
        input.jobId(),
        (dir, context) -> {
          List<S3Uri> segments = JobInputs.segments(dir.jobId(), input.segments());
          PolicyChecks.requireAllowedLocations(
              dir.jobId(), settings.policy(), input.segments(), input.output(), input.cover());
          if (input.output() != null) {
            S3Uri output = JobInputs.output(dir.jobId(), input.output());
            outputBucket.requireExists(dir.jobId(), output);
            // Before any GET: a job that may not write its output should not join it first.
            outputGuard.requireWritable(
                dir.jobId(), output, Boolean.TRUE.equals(input.overwrite()));
          }
          S3Uri cover = input.cover() == null ? null : JobInputs.cover(dir.jobId(), input.cover());
          if (cover != null) {
            downloader.requireCover(dir.jobId(), cover);
          }
          DownloadResult result =
              downloader.download(
                  dir,
                  segments,
                  resumePoint(dir.jobId(), input, context),
                  progress(
                      dir.jobId(), "download", segments.size(), input.progressToken(), context),
                  stallLimit(context).dividedBy(2));
          if (cover != null) {
            downloader.fetchCover(dir, cover);
          }
          return result;
        });
  }

  @Override
  public ConcatOutput concat(ConcatInput input) {
    return run(
        "concat",
        input.jobId(),
        (dir, context) -> {
          List<S3Uri> segments = JobInputs.segments(dir.jobId(), input.segments());
          OutputFormat format =
              JobInputs.format(dir.jobId(), JobInputs.output(dir.jobId(), input.output()));
          // Asked only of a join encoded in chunks.
          DoubleFunction<Optional<PieceStore>> staging =
              seconds ->
                  spreads(dir.jobId(), input, seconds)
                      ? Optional.of(
                          StagingArea.forOutput(
                              s3, dir.jobId(), JobInputs.output(dir.jobId(), input.output())))
                      : Optional.empty();
          return joiner.join(
              dir,
              segments,
              format,
              input.allowStreamCopy(),
              input.audioOrDefault(),
              stallLimit(context),
              progress(dir.jobId(), "concat", segments.size(), input.progressToken(), context),
              staging);
        });
  }

  /**
   * Whether this join's chunks may be staged for the fleet: its workflow asks for it, this worker
   * spreads chunks, and other workers would encode some of its {@code seconds}.
   */
  private boolean spreads(String jobId, ConcatInput input, double seconds) {
    return input.stagesChunks() && settings.chunkSpread() && fleet.helpsWith(jobId, seconds);
  }

  @Override
  public ConcatOutput assemble(ConcatInput input, StagedChunks staged) {
    return run(
        "assemble",
        input.jobId(),
        (dir, context) -> {
          List<S3Uri> segments = JobInputs.segments(dir.jobId(), input.segments());
          OutputFormat format =
              JobInputs.format(dir.jobId(), JobInputs.output(dir.jobId(), input.output()));
          PhaseProgress progress =
              progress(dir.jobId(), "concat", segments.size(), input.progressToken(), context);
          StagedChunkFetch.fetch(
              dir.jobId(),
              StagingArea.at(s3, dir.jobId(), staged.prefix()),
              staged,
              dir.chunksDir(),
              progress);
          // The join finds the decode that concat kept and every chunk fetched: it encodes none.
          ConcatOutput joined =
              joiner.join(
                  dir,
                  segments,
                  format,
                  input.allowStreamCopy(),
                  input.audioOrDefault(),
                  stallLimit(context),
                  progress);
          if (format == OutputFormat.MP3) {
            findCopies(dir, staged, dir.output(format.extension()));
          }
          return joined;
        });
  }

  /**
   * Notes which of the output's bytes the staged runs hold, for the upload to copy; a failure to
   * find them only means the upload sends those bytes.
   */
  private void findCopies(JobWorkDir dir, StagedChunks staged, Path output) {
    try {
      CopySource.writeAll(
          dir.outputCopies(),
          StagedRunCopies.find(
              dir.jobId(), StagingArea.at(s3, dir.jobId(), staged.prefix()), staged, output));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "job {}: could not find the staged runs the output holds; the upload sends every byte: {}",
          dir.jobId(),
          e.toString());
    }
  }

  /** The output's ranges the store holds, as {@link #assemble} found them; none after a failure. */
  private static List<CopySource> copies(JobWorkDir dir) {
    try {
      return CopySource.readAll(dir.outputCopies());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "job {}: unreadable {}; the upload sends every byte: {}",
          dir.jobId(),
          dir.outputCopies(),
          e.toString());
      return List.of();
    }
  }

  @Override
  public UploadResult upload(UploadInput input) {
    return run(
        "upload",
        input.jobId(),
        (dir, context) -> {
          S3Uri target = JobInputs.output(dir.jobId(), input.output());
          PolicyChecks.requireAllowedLocations(
              dir.jobId(), settings.policy(), null, input.output(), null);
          OutputFormat format = JobInputs.format(dir.jobId(), target);
          Path file = dir.output(format.extension());
          if (!Files.isRegularFile(file)) {
            throw FailureType.WORK_DIR_LOST.failure(
                FailureSubject.job(dir.jobId())
                    .describe(
                        "the joined file "
                            + file
                            + " is not on this host; the job must run again from download"));
          }
          OutputObject object =
              input.object() == null ? outputDefaults : input.object().over(outputDefaults);
          UploadResult result =
              uploader.upload(
                  dir.jobId(),
                  file,
                  target,
                  format,
                  input.overwriteAllowed(),
                  object,
                  copies(dir),
                  progress(
                      dir.jobId(),
                      "upload",
                      file.toFile().length(),
                      input.progressToken(),
                      context));
          dir.delete();
          return result;
        });
  }

  @Override
  public void cleanup(String jobId) {
    run(
        "cleanup",
        jobId,
        (dir, context) -> {
          boolean existed = dir.delete();
          log.info(
              "job {}: work directory {}", dir.jobId(), existed ? "deleted" : "was already gone");
          return null;
        });
  }

  @FunctionalInterface
  private interface Phase<T> {
    T run(JobWorkDir dir, ActivityExecutionContext context);
  }

  private <T> T run(String phase, String rawJobId, Phase<T> body) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try (var logContext = ActivityLogContext.enter()) {
      JobWorkDir dir = host.workDirs().job(JobInputs.jobId(rawJobId));
      ShutdownGate.Pass pass;
      try {
        pass = host.gate().enter();
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
          host.diskShortfalls().record(dir.jobId(), e.neededBytes());
          log.warn(
              "job {}: {} failed on this host's disk ({}); work directory deleted, the job moves to another host: {}",
              dir.jobId(),
              phase,
              e.failureType().type(),
              e.getMessage());
          throw e.toFailure(settings.workerIdentity());
        } catch (ActivityCompletionException e) {
          step.jobLeaves();
          dir.delete();
          log.warn(
              "job {}: {} stopped because Temporal ended the attempt ({}); work directory deleted",
              dir.jobId(),
              phase,
              e.getClass().getSimpleName());
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
      return host.slots().start(jobId, wait);
    } catch (IllegalStateException e) {
      throw FailureType.HOST_UNAVAILABLE.failure(
          FailureSubject.job(jobId)
              .describe(
                  phase
                      + " could not start on worker "
                      + settings.workerIdentity()
                      + " because "
                      + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShuttingDown("worker " + settings.workerIdentity() + " was interrupted");
    }
  }

  private ApplicationFailure interrupted(JobWorkDir dir, String phase, WorkerShuttingDown e) {
    dir.delete();
    log.warn(
        "job {}: {} interrupted because {}; work directory deleted, the job moves to another host",
        dir.jobId(),
        phase,
        e.getMessage());
    return FailureType.WORKER_SHUTDOWN.failure(
        FailureSubject.job(dir.jobId()).describe(phase + " interrupted because " + e.getMessage()));
  }

  /**
   * How long FFmpeg or a GET may go without progress: the heartbeat timeout, which would catch it
   * anyway.
   */
  private static Duration stallLimit(ActivityExecutionContext context) {
    Duration heartbeatTimeout = context.getInfo().getHeartbeatTimeout();
    return heartbeatTimeout == null || heartbeatTimeout.isZero()
        ? DEFAULT_STALL_LIMIT
        : heartbeatTimeout;
  }

  private PhaseProgress progress(
      String jobId, String phase, long total, String token, ActivityExecutionContext context) {
    return new PhaseProgress(
        jobId,
        phase,
        total,
        context,
        reporters.apply(context),
        settings.progressInterval(),
        settings.workerIdentity(),
        token,
        progressThreads);
  }

  /**
   * This attempt's own heartbeat details when Temporal retried it, otherwise the checkpoint the
   * workflow kept from the lost download of an earlier run.
   */
  private static DownloadCheckpoint resumePoint(
      String jobId, DownloadInput input, ActivityExecutionContext context) {
    try {
      return context
          .getHeartbeatDetails(DownloadCheckpoint.class)
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
    return new DownloadCheckpoint(
        c.host() == null ? "" : c.host(), c.completed() == null ? "" : c.completed(), c.seconds());
  }
}
