package dev.concat.workflows;

import dev.concat.activities.ProgressUpdate;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The workflow's mutable view of a job, fed by phase changes and progress signals; the status
 * query reads immutable snapshots of it. Times come from the caller, so it stays deterministic.
 */
final class JobProgress {
  private final String jobId;
  private final int segmentsTotal;
  private final String startedAt;
  private final Consumer<JobState> stateListener;
  private JobState state = JobState.PENDING;
  private int segmentsDownloaded;
  private int segmentsConcatenated;
  private long bytesUploaded;
  private String lastProgressAt;
  private int attempt;
  private String worker;
  private String lastError;
  private ConcatResult result;

  JobProgress(String jobId, int segmentsTotal, long nowMillis) {
    this(jobId, segmentsTotal, nowMillis, state -> { });
  }

  /** {@code stateListener} hears every state entered, for what the job publishes outside its queries. */
  JobProgress(String jobId, int segmentsTotal, long nowMillis, Consumer<JobState> stateListener) {
    this.jobId = jobId;
    this.segmentsTotal = segmentsTotal;
    this.startedAt = iso(nowMillis);
    this.lastProgressAt = startedAt;
    this.stateListener = stateListener;
  }

  /** A new try of the host-bound sequence starts from nothing on a new worker. */
  void startAttempt(int attempt, String worker, long nowMillis) {
    this.attempt = attempt;
    this.worker = worker;
    segmentsDownloaded = 0;
    segmentsConcatenated = 0;
    bytesUploaded = 0;
    lastProgressAt = iso(nowMillis);
  }

  void enter(JobState next, long nowMillis) {
    state = next;
    lastProgressAt = iso(nowMillis);
    stateListener.accept(next);
  }

  void downloaded(int segments) {
    segmentsDownloaded = segments;
  }

  void concatenated() {
    segmentsConcatenated = segmentsTotal;
  }

  void uploaded(long bytes) {
    bytesUploaded = bytes;
  }

  void failed(String error, long nowMillis) {
    lastError = error;
    lastProgressAt = iso(nowMillis);
  }

  void completed(ConcatResult result, long nowMillis) {
    this.result = result;
    enter(JobState.COMPLETED, nowMillis);
  }

  /**
   * Applies a progress signal if it belongs to the current phase and worker. A signal can
   * arrive late, or from a worker the job has already left; those must not move the numbers.
   */
  void apply(ProgressUpdate update) {
    if (worker != null && !worker.equals(update.worker())) {
      return;
    }
    switch (update.phase()) {
      case "download" -> {
        if (state != JobState.DOWNLOADING) {
          return;
        }
        segmentsDownloaded = clamp(update.done());
      }
      case "concat" -> {
        if (state != JobState.CONCATENATING) {
          return;
        }
        segmentsConcatenated = clamp(update.done());
      }
      case "upload" -> {
        if (state != JobState.UPLOADING) {
          return;
        }
        bytesUploaded = Math.max(bytesUploaded, update.done());
      }
      default -> {
        return;
      }
    }
    lastProgressAt = iso(update.atMillis());
  }

  JobState state() {
    return state;
  }

  ConcatStatus snapshot() {
    return new ConcatStatus(
        jobId, state, segmentsTotal, segmentsDownloaded, segmentsConcatenated, bytesUploaded,
        startedAt, lastProgressAt, attempt, worker, lastError, result);
  }

  private int clamp(long done) {
    return (int) Math.max(0, Math.min(segmentsTotal, done));
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
