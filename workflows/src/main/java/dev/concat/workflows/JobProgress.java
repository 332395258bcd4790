package dev.concat.workflows;

import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.ProgressUpdate;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The workflow's mutable view of a job, fed by phase changes and progress reports; the status query
 * reads immutable snapshots of it. Times come from the caller, so it stays deterministic.
 */
final class JobProgress {
  /**
   * Clocks of workers and the server differ a little; a report further ahead than this is forged.
   */
  private static final long CLOCK_SKEW_MILLIS = 60_000;

  private final String jobId;
  private final int segmentsTotal;
  private final String startedAt;
  private final Consumer<JobState> stateListener;
  private Runnable changeListener = () -> {};
  private JobState state = JobState.PENDING;
  private int segmentsDownloaded;
  private int segmentsConcatenated;
  private long bytesUploaded;
  private String lastProgressAt;
  private String workStartedAt;
  private int attempt;
  private String worker;
  private String lastError;
  private ConcatResult result;

  JobProgress(String jobId, int segmentsTotal, long submittedMillis) {
    this(jobId, segmentsTotal, submittedMillis, state -> {});
  }

  /**
   * @param submittedMillis when the job was submitted, its {@code startedAt}
   * @param stateListener hears every state entered, for what the job publishes outside its queries
   */
  JobProgress(
      String jobId, int segmentsTotal, long submittedMillis, Consumer<JobState> stateListener) {
    this.jobId = jobId;
    this.segmentsTotal = segmentsTotal;
    this.startedAt = iso(submittedMillis);
    this.lastProgressAt = startedAt;
    this.stateListener = stateListener;
  }

  /** {@code listener} runs after every change of what a snapshot shows. */
  void onChange(Runnable listener) {
    this.changeListener = listener;
    listener.run();
  }

  /** A new try of the host-bound sequence starts from nothing on a new worker. */
  void startAttempt(int attempt, String worker, long nowMillis) {
    this.attempt = attempt;
    this.worker = worker;
    segmentsDownloaded = 0;
    segmentsConcatenated = 0;
    bytesUploaded = 0;
    lastProgressAt = iso(nowMillis);
    if (workStartedAt == null) {
      workStartedAt = lastProgressAt;
    }
    changeListener.run();
  }

  void enter(JobState next, long nowMillis) {
    state = next;
    lastProgressAt = iso(nowMillis);
    stateListener.accept(next);
    changeListener.run();
  }

  void downloaded(int segments) {
    segmentsDownloaded = segments;
    changeListener.run();
  }

  void concatenated() {
    segmentsConcatenated = segmentsTotal;
    changeListener.run();
  }

  /** A spread encode counts the segments its encoded frames cover, in proportion. */
  void encodedFrames(long done, long total) {
    segmentsConcatenated = (int) (segmentsTotal * Math.min(done, total) / Math.max(total, 1));
    changeListener.run();
  }

  void uploaded(long bytes) {
    bytesUploaded = bytes;
    changeListener.run();
  }

  void failed(String error, long nowMillis) {
    lastError = error;
    lastProgressAt = iso(nowMillis);
    changeListener.run();
  }

  void completed(ConcatResult result, long nowMillis) {
    this.result = result;
    enter(JobState.COMPLETED, nowMillis);
  }

  /**
   * Why {@code update} must not move the numbers, or null when it may. A report can arrive late,
   * from a worker or attempt the job has already left, or be forged by anyone who can signal the
   * job; none of those may change what the status shows.
   *
   * @param token the current attempt's progress token; null for a job that goes by worker identity
   */
  String rejection(ProgressUpdate update, String token, long nowMillis) {
    if (update == null) {
      return "empty progress report";
    }
    if (token != null
        ? !token.equals(update.token())
        : worker == null || !worker.equals(update.worker())) {
      return "progress from another attempt than the current one (" + attempt + ")";
    }
    JobState phaseState = phaseState(update.phase());
    if (phaseState == null || phaseState != state) {
      return "progress for phase " + update.phase() + " while the job is " + state;
    }
    long expectedTotal = phaseState == JobState.UPLOADING ? update.total() : segmentsTotal;
    if (update.done() < 0 || update.total() != expectedTotal || update.done() > update.total()) {
      return "progress out of range: " + update.done() + " of " + update.total();
    }
    if (update.atMillis() > nowMillis + CLOCK_SKEW_MILLIS) {
      return "progress dated in the future: " + iso(update.atMillis());
    }
    return null;
  }

  /**
   * Whether a refused report is merely late: the current attempt's report of a phase the job has
   * just left, which the sender's other thread delivered after the phase's end. Normal, not worth a
   * log line.
   */
  boolean isLate(ProgressUpdate update) {
    JobState phaseState = update == null ? null : phaseState(update.phase());
    return phaseState != null && phaseState.ordinal() < state.ordinal();
  }

  /**
   * Applies a report that {@link #rejection} accepted, seen at the workflow's {@code nowMillis}.
   */
  void apply(ProgressUpdate update, long nowMillis) {
    switch (state) {
      case DOWNLOADING -> segmentsDownloaded = (int) update.done();
      case CONCATENATING -> segmentsConcatenated = (int) update.done();
      case UPLOADING -> bytesUploaded = Math.max(bytesUploaded, update.done());
      default -> {
        return;
      }
    }
    lastProgressAt = iso(Math.min(nowMillis, Math.max(update.atMillis(), 0)));
    changeListener.run();
  }

  JobState state() {
    return state;
  }

  ConcatStatus snapshot() {
    return new ConcatStatus(
        jobId,
        state,
        segmentsTotal,
        segmentsDownloaded,
        segmentsConcatenated,
        bytesUploaded,
        startedAt,
        lastProgressAt,
        attempt,
        worker,
        lastError,
        result,
        workStartedAt,
        ConcatStatus.WORKFLOW_VIEW,
        null);
  }

  private static JobState phaseState(String phase) {
    if (phase == null) {
      return null;
    }
    return switch (phase) {
      case "download" -> JobState.DOWNLOADING;
      case "concat" -> JobState.CONCATENATING;
      case "upload" -> JobState.UPLOADING;
      default -> null;
    };
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
