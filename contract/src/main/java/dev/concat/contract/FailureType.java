package dev.concat.contract;

import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code ApplicationFailure} types concat raises, each with whether a retry can fix it. The
 * type strings are in job histories and clients switch on them: they never change. Retryability is
 * decided here once; a throw site only says which type and what happened.
 */
public enum FailureType {
  INVALID_REQUEST(
      "InvalidRequest",
      Retry.NEVER,
      "The request itself is malformed (bad job id, URI, empty segment list...)."),
  INVALID_SEGMENT(
      "InvalidSegment", Retry.NEVER, "A segment is missing, empty, corrupt or not audio."),
  INVALID_COVER(
      "InvalidCover",
      Retry.NEVER,
      "The cover image is missing, empty, or not a JPEG or PNG image."),
  MISSING_BUCKET("MissingBucket", Retry.NEVER, "A bucket named by the request does not exist."),
  OUTPUT_EXISTS(
      "OutputExists",
      Retry.NEVER,
      "The output key holds an object this job did not write and the request did not say \"overwrite\": true."),
  OUTPUT_REJECTED(
      "OutputRejected",
      Retry.NEVER,
      "The store refused the output for good (access denied, an unsupported setting, a non-HTTP answer);"
          + " a rerun would redo the join for the same answer."),
  WORK_DIR_LOST(
      "WorkDirLost",
      Retry.YES,
      "The host's work directory no longer holds the job's files; the sequence reruns on a host."),
  HOST_UNAVAILABLE(
      "HostUnavailable",
      Retry.YES,
      "A worker refused to claim a job: all its job slots are busy or it is shutting down."),
  WORKER_SHUTDOWN(
      "WorkerShutdown",
      Retry.YES,
      "The worker is shutting down; the job must move to another host now."),
  FFMPEG_FAILED("FfmpegFailed", Retry.YES, "FFmpeg exited non-zero; it may be a transient fault."),
  FFMPEG_KILLED(
      "FfmpegKilled",
      Retry.YES,
      "FFmpeg was killed by a signal (for example the kernel's OOM killer)."),
  FFMPEG_STALLED(
      "FfmpegStalled",
      Retry.YES,
      "FFmpeg made no progress for longer than the stall limit and was killed."),
  INSUFFICIENT_DISK(
      "InsufficientDisk",
      Retry.YES,
      "The host's work directory lacks the free space a job needs; the job's files are deleted at once and"
          + " the job reruns on another host."),
  WORK_DIR_UNUSABLE(
      "WorkDirUnusable",
      Retry.YES,
      "The host's work directory cannot be written (permission denied, read-only, a disk I/O error);"
          + " another host's disk may be fine."),
  LOCATION_NOT_ALLOWED(
      "LocationNotAllowed",
      Retry.NEVER,
      "A segment, cover or output lies outside the locations the operator allows."),
  LIMIT_EXCEEDED(
      "LimitExceeded",
      Retry.NEVER,
      "The job asks for more than an operator's ceiling (segments, bytes, decoded audio, timeouts)."),
  FFMPEG_OUT_OF_MEMORY(
      "FfmpegOutOfMemory",
      Retry.NEVER,
      "FFmpeg needed more memory than CONCAT_FFMPEG_MAX_MEMORY allows it; every host has the ceiling."),
  MAX_PROCESSING_TIME(
      "MaxProcessingTimeExceeded", Retry.NEVER, "The job ran past its maximum processing time."),
  JOB_FAILED(
      "JobFailed",
      Retry.NEVER,
      "The job's last attempt ended without a type of its own (an activity timed out or its worker was lost).");

  /** Whether another attempt can succeed where this one failed. */
  private enum Retry {
    YES,
    NEVER
  }

  private final String type;
  private final boolean retryable;
  private final String meaning;

  FailureType(String type, Retry retry, String meaning) {
    this.type = type;
    this.retryable = retry == Retry.YES;
    this.meaning = meaning;
  }

  /** The type string failures carry, in histories and to clients. */
  public String type() {
    return type;
  }

  /** Whether Temporal's retry policy may run the activity again after this failure. */
  public boolean retryable() {
    return retryable;
  }

  /** What the failure means, in one sentence. */
  public String meaning() {
    return meaning;
  }

  /** The failure to throw: retryable or not as this type is. */
  public ApplicationFailure failure(String message, Object... details) {
    return retryable
        ? ApplicationFailure.newFailure(message, type, details)
        : ApplicationFailure.newNonRetryableFailure(message, type, details);
  }

  /** The failure to throw, carrying the error behind it. */
  public ApplicationFailure failureWithCause(String message, Throwable cause) {
    return retryable
        ? ApplicationFailure.newFailureWithCause(message, type, cause)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, type, cause);
  }

  /** Whether {@code failure} is an {@code ApplicationFailure} of this type. */
  public boolean is(Throwable failure) {
    return failure instanceof ApplicationFailure app && type.equals(app.getType());
  }

  /** The type a failure's type string names, if it is one of concat's. */
  public static Optional<FailureType> of(String type) {
    return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
  }

  /**
   * The type strings no retry can fix, as {@code RetryOptions.setDoNotRetry} takes them; a new
   * array each call.
   */
  public static String[] nonRetryableTypes() {
    return Arrays.stream(values())
        .filter(t -> !t.retryable)
        .map(FailureType::type)
        .toArray(String[]::new);
  }
}
