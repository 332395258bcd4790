package dev.concat.workflows;

import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.DownloadCheckpoint;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.HostActivities;
import dev.concat.contract.HostClaim;
import dev.concat.contract.JobActivities;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.ProgressUpdate;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import dev.concat.contract.policy.OperatorPolicy;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What happens to a job: validate the request; claim a host; download, concat and upload on that
 * host; if the host is lost, run the whole sequence again on another one. A timer bounds the whole
 * job, and cancellation or the deadline stop the running activity (which kills FFmpeg) before the
 * host's work directory is cleaned up.
 */
public final class ConcatWorkflowImpl implements ConcatWorkflow {
  private static final Logger log = Workflow.getLogger(ConcatWorkflowImpl.class);

  /** Doubles per attempt: long enough for a blip in S3 to pass, short against a job's length. */
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

  /** The backoff never grows past this: a job waits for a healthy host, not for the backoff. */
  private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

  /**
   * Graceful worker shutdowns (deploys) a job rides through on top of its host attempts: they are
   * not the job's fault, so they do not use up its attempts, but a fleet that never stays up still
   * fails the job rather than looping until its deadline.
   */
  private static final int MAX_INTERRUPTIONS = 10;

  /**
   * Version 1: worker shutdowns do not count as host attempts, the backoff is capped, and a lost
   * download's heartbeat details go to the next run. Jobs started before it replay as before.
   */
  private static final String RERUN_POLICY = "rerun-policy";

  /**
   * Version 1: progress comes through the {@code reportProgress} update, carrying a token the
   * workflow hands each attempt's activities, and the progress signal is ignored; the host-bound
   * activities carry a summary for the Web UI. Jobs started before it keep the signal.
   */
  private static final String PROGRESS_CHANNEL = "progress-channel";

  /**
   * Version 1: the concat may come back staged ({@link ConcatOutput#staged()}) instead of joined:
   * its chunks are then encoded on any worker ({@link SpreadChunkEncode}), assembled on the host,
   * and the staging deleted when the job ends. Jobs started before it encode on their host only.
   */
  private static final String CHUNKED_JOIN = "chunked-join";

  /**
   * Version 1: a run whose activity went silent past its heartbeat timeout (its worker was killed
   * or hung) is run again at once, since the timeout has already waited out the lost host. Jobs
   * started before it sleep the backoff first.
   */
  private static final String RERUN_AFTER_SILENCE = "rerun-after-silence";

  private final BooleanSupplier searchAttributesRegistered;
  private final Supplier<OperatorPolicy> operatorPolicy;
  private String jobId;
  private JobVisibility visibility;
  private JobProgress progress;
  private JobActivityOptions options;
  private HostClaim host;
  private Promise<ConcatResult> outcome;
  private DownloadCheckpoint resumeFrom;
  private ProgressIntake intake;
  private SpreadChunkEncode spread;
  private String stagedPrefix;

  /**
   * For a namespace without concat's search attributes; jobs still publish their memo, and may read
   * and write anywhere under the default ceilings.
   */
  public ConcatWorkflowImpl() {
    this(() -> false);
  }

  /**
   * @param searchAttributesRegistered whether the namespace has ConcatState and ConcatSegments;
   *     asked once per job, and the answer is kept in the job's history for replays
   */
  public ConcatWorkflowImpl(BooleanSupplier searchAttributesRegistered) {
    this(searchAttributesRegistered, OperatorPolicy::anywhere);
  }

  /**
   * @param operatorPolicy where jobs may read and write and the ceilings on what they ask; asked
   *     once per job, and the answer is kept in the job's history for replays
   */
  public ConcatWorkflowImpl(
      BooleanSupplier searchAttributesRegistered, Supplier<OperatorPolicy> operatorPolicy) {
    this.searchAttributesRegistered = searchAttributesRegistered;
    this.operatorPolicy = operatorPolicy;
  }

  @Override
  public ConcatResult concat(ConcatRequest request) {
    jobId = Workflow.getInfo().getWorkflowId();
    visibility = JobVisibility.start(searchAttributesRegistered);
    progress =
        new JobProgress(
            jobId,
            segmentCount(request),
            Workflow.getInfo().getRunStartedTimestampMillis(),
            visibility::stateChanged);
    progress.onChange(() -> Workflow.setCurrentDetails(JobDetails.of(progress.snapshot())));
    intake = new ProgressIntake(jobId, progress);
    visibility.announce(
        JobState.PENDING, segmentCount(request), request == null ? null : request.output());
    try {
      RequestValidator.requireValid(request, jobId);
      OperatorLimits.require(operatorPolicy, request, jobId);
    } catch (ApplicationFailure refused) {
      throw fail(refused);
    }
    JobTimeouts timeouts = request.effectiveTimeouts();
    options = new JobActivityOptions(timeouts);
    spread = new SpreadChunkEncode(jobId, options);

    CancellationScope work =
        Workflow.newCancellationScope(
            () -> outcome = Async.function(this::runOnHosts, request, timeouts.hostAttempts()));
    work.run();
    Promise<Void> deadline = Workflow.newTimer(Duration.ofSeconds(timeouts.maxProcessingSeconds()));
    try {
      Workflow.await(() -> outcome.isCompleted() || deadline.isCompleted());
    } catch (CanceledFailure cancelled) {
      Workflow.newDetachedCancellationScope(this::stopAndClean).run();
      progress.enter(JobState.CANCELLED, Workflow.currentTimeMillis());
      visibility.countOutcome(JobState.CANCELLED);
      log.info("job {} cancelled", jobId);
      throw cancelled;
    }
    if (!outcome.isCompleted()) {
      work.cancel("maximum processing time exceeded");
      stopAndClean();
      throw fail(
          FailureType.MAX_PROCESSING_TIME.failure(
              FailureSubject.job(jobId).prefix()
                  + " exceeded its maximum processing time of "
                  + timeouts.maxProcessingSeconds()
                  + " s and was stopped"));
    }
    try {
      ConcatResult result = outcome.get();
      deleteStaged();
      progress.completed(result, Workflow.currentTimeMillis());
      visibility.completed(result);
      visibility.countOutcome(JobState.COMPLETED);
      log.info("job {} completed: {}", jobId, result);
      return result;
    } catch (ActivityFailure failure) {
      cleanHost();
      deleteStaged();
      throw fail(ActivityFailures.jobFailure(jobId, failure));
    }
  }

  @Override
  public ConcatStatus status() {
    return progress == null
        ? new JobProgress(
                Workflow.getInfo().getWorkflowId(),
                0,
                Workflow.getInfo().getRunStartedTimestampMillis())
            .snapshot()
        : progress.snapshot();
  }

  @Override
  public void progress(Object signalled) {
    if (intake != null) {
      intake.signalled(signalled);
    }
  }

  @Override
  public void validateProgress(ProgressUpdate update) {
    if (intake == null) {
      // Before the job's run has begun: it takes no progress yet.
      throw new IllegalArgumentException("this job takes no " + ProgressUpdate.UPDATE + " update");
    }
    intake.validate(update);
  }

  @Override
  public void reportProgress(ProgressUpdate update) {
    if (intake != null) {
      intake.apply(update);
    }
  }

  /**
   * Runs the host-bound sequence up to {@code hostAttempts} times. Each try claims a host anew
   * through the shared queue, so a dead host is left behind and a live one keeps its files.
   */
  private ConcatResult runOnHosts(ConcatRequest request, int hostAttempts) {
    boolean spareInterruptions =
        Workflow.getVersion(RERUN_POLICY, Workflow.DEFAULT_VERSION, 1) >= 1;
    // Until here (no host run yet, so no token) the job takes no progress at all.
    intake.open(Workflow.getVersion(PROGRESS_CHANNEL, Workflow.DEFAULT_VERSION, 1) >= 1);
    HostActivities hosts = Workflow.newActivityStub(HostActivities.class, options.claimHost());
    int failures = 0;
    int interruptions = 0;
    for (int attempt = 1; ; attempt++) {
      host = hosts.claimHost(jobId);
      intake.startAttempt();
      progress.startAttempt(attempt, host.worker(), Workflow.currentTimeMillis());
      log.info("job attempt {} runs on {} ({})", attempt, host.worker(), host.taskQueue());
      try {
        return runOnHost(request, spareInterruptions);
      } catch (ActivityFailure failure) {
        intake.endAttempt();
        if (CancellationScope.current().isCancelRequested()) {
          throw failure;
        }
        progress.failed(ActivityFailures.describe(failure), Workflow.currentTimeMillis());
        boolean interrupted =
            spareInterruptions && FailureType.WORKER_SHUTDOWN.is(failure.getCause());
        if (interrupted) {
          interruptions++;
        } else {
          failures++;
        }
        if (ActivityFailures.isBadInput(failure)
            || failures >= hostAttempts
            || interruptions > MAX_INTERRUPTIONS) {
          throw failure;
        }
        if (spareInterruptions) {
          keepDownloadCheckpoint(failure);
        }
        if (interrupted) {
          // The worker handed the job back at once and refuses new claims: claim again now. No
          // timer, so no workflow task lands on the stopping worker's sticky queue meanwhile.
          log.warn(
              "job attempt {} on {} interrupted, running it again now: {}",
              attempt,
              host.worker(),
              ActivityFailures.describe(failure));
          continue;
        }
        if (ActivityFailures.wentSilent(failure)
            && Workflow.getVersion(RERUN_AFTER_SILENCE, Workflow.DEFAULT_VERSION, 1) >= 1) {
          log.warn(
              "job attempt {} on {} went silent, running it again now: {}",
              attempt,
              host.worker(),
              ActivityFailures.describe(failure));
          continue;
        }
        Duration backoff = backoff(failures, spareInterruptions);
        log.warn(
            "job attempt {} on {} failed, running it again in {}: {}",
            attempt,
            host.worker(),
            backoff,
            ActivityFailures.describe(failure));
        Workflow.sleep(backoff);
      }
    }
  }

  private static Duration backoff(int failures, boolean capped) {
    Duration backoff = RETRY_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 10));
    return capped && backoff.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff;
  }

  /**
   * A download that went silent (its worker was killed or hung) leaves its last heartbeat details
   * in the timeout: which segments are on that host's disk. If the same host claims the next run
   * (the worker restarted with the same work directory), the download resumes from there.
   */
  private void keepDownloadCheckpoint(ActivityFailure failure) {
    if (failure.getCause() instanceof TimeoutFailure timeout
        && "Download".equals(failure.getActivityType())
        && timeout.getLastHeartbeatDetails() != null
        && timeout.getLastHeartbeatDetails().getSize() > 0) {
      try {
        resumeFrom = timeout.getLastHeartbeatDetails().get(DownloadCheckpoint.class);
      } catch (RuntimeException unreadable) {
        log.warn(
            "job {}: the lost download's heartbeat details are unreadable: {}",
            jobId,
            unreadable.toString());
      }
    }
  }

  private ConcatResult runOnHost(ConcatRequest request, boolean resumeDownloads) {
    String queue = host.taskQueue();
    progress.enter(JobState.DOWNLOADING, Workflow.currentTimeMillis());
    int segments = request.segments().size();
    DownloadResult downloaded =
        stub(summarized(options.download(queue), "download " + segments + " segments"))
            .download(
                new DownloadInput(
                    jobId,
                    request.segments(),
                    request.output(),
                    resumeDownloads ? resumeFrom : null,
                    request.audio().cover(),
                    request.overwrite(),
                    intake.token()));
    progress.downloaded(downloaded.segments());

    progress.enter(JobState.CONCATENATING, Workflow.currentTimeMillis());
    boolean spreadable = Workflow.getVersion(CHUNKED_JOIN, Workflow.DEFAULT_VERSION, 1) >= 1;
    ConcatInput join =
        new ConcatInput(
            jobId,
            request.segments(),
            request.output(),
            request.streamCopyAllowed(),
            request.audio(),
            intake.token(),
            spreadable ? Boolean.TRUE : null);
    ConcatOutput joined =
        stub(summarized(options.concat(queue), "join " + segments + " segments")).concat(join);
    if (joined.staged() != null) {
      joined = encodeSpread(join, joined);
    }
    progress.concatenated();

    progress.enter(JobState.UPLOADING, Workflow.currentTimeMillis());
    UploadResult uploaded =
        stub(summarized(options.upload(queue), "upload to " + request.output()))
            .upload(
                new UploadInput(
                    jobId,
                    request.output(),
                    request.overwrite(),
                    request.outputObject(),
                    intake.token()));
    progress.uploaded(uploaded.bytes());
    return new ConcatResult(
        request.output(),
        joined.durationSeconds(),
        uploaded.bytes(),
        joined.mode(),
        downloaded.seconds(),
        joined.seconds(),
        uploaded.seconds(),
        joined.audio());
  }

  /**
   * The host staged the join's chunks: any worker encodes them, then the host joins them. The
   * staging stays until the job ends, so that a rerun on another host encodes no chunk again.
   */
  private ConcatOutput encodeSpread(ConcatInput join, ConcatOutput staged) {
    long chunksStarted = Workflow.currentTimeMillis();
    StagedChunks chunks = staged.staged();
    stagedPrefix = chunks.prefix();
    StagedChunk last = chunks.chunks().get(chunks.chunks().size() - 1);
    spread.encode(chunks, frames -> progress.encodedFrames(frames, last.endFrame()));
    int count = chunks.chunks().size();
    ConcatOutput joined =
        stub(summarized(options.concat(host.taskQueue()), "assemble " + count + " chunks"))
            .assemble(join, chunks);
    // The concat phase's time is the staging, the chunks and the assembly, not the last alone.
    double seconds = staged.seconds() + (Workflow.currentTimeMillis() - chunksStarted) / 1000.0;
    return new ConcatOutput(
        joined.durationSeconds(), joined.sizeBytes(), joined.mode(), seconds, joined.audio());
  }

  /** Waits for the cancelled activity to finish killing FFmpeg, then clears the host's files. */
  private void stopAndClean() {
    try {
      outcome.get();
    } catch (TemporalFailure expected) {
      // The run was cancelled; its failure says nothing new.
    }
    cleanHost();
    deleteStaged();
  }

  private void deleteStaged() {
    if (stagedPrefix != null) {
      spread.deleteStaged(stagedPrefix);
      stagedPrefix = null;
    }
  }

  private void cleanHost() {
    if (host == null) {
      return;
    }
    try {
      stub(options.cleanup(host.taskQueue())).cleanup(jobId);
    } catch (ActivityFailure unreachable) {
      log.warn(
          "could not clean {}'s work directory: {}",
          host.worker(),
          ActivityFailures.describe(unreachable));
    }
  }

  private ApplicationFailure fail(ApplicationFailure failure) {
    progress.failed(failure.getOriginalMessage(), Workflow.currentTimeMillis());
    progress.enter(JobState.FAILED, Workflow.currentTimeMillis());
    visibility.countOutcome(JobState.FAILED);
    log.error("job {} failed: {}", jobId, failure.getOriginalMessage());
    return failure;
  }

  /** What the Web UI shows on the activity's row: the step, and the host it is bound to. */
  private ActivityOptions summarized(ActivityOptions activityOptions, String step) {
    if (!intake.tokenChannel()) {
      return activityOptions;
    }
    return ActivityOptions.newBuilder(activityOptions)
        .setSummary(step + " on " + host.worker())
        .build();
  }

  private static JobActivities stub(ActivityOptions activityOptions) {
    return Workflow.newActivityStub(JobActivities.class, activityOptions);
  }

  private static int segmentCount(ConcatRequest request) {
    return request == null || request.segments() == null ? 0 : request.segments().size();
  }
}
