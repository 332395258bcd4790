package dev.concat.activities;

/** The {@code ApplicationFailure} types concat raises; the workflow and clients switch on them. */
public final class FailureTypes {
  /** The request itself is malformed (bad job id, URI, empty segment list...). Not retryable. */
  public static final String INVALID_REQUEST = "InvalidRequest";
  /** A segment is missing, empty, corrupt or not audio. Not retryable. */
  public static final String INVALID_SEGMENT = "InvalidSegment";
  /** The cover image is missing, empty, or not a JPEG or PNG image. Not retryable. */
  public static final String INVALID_COVER = "InvalidCover";
  /** A bucket named by the request does not exist. Not retryable. */
  public static final String MISSING_BUCKET = "MissingBucket";
  /**
   * The output key holds an object this job did not write and the request did not say
   * {@code "overwrite": true}. Not retryable.
   */
  public static final String OUTPUT_EXISTS = "OutputExists";
  /**
   * The store refused the output for good: access denied, a setting it does not support, or an
   * answer that is not HTTP it should give. Not retryable: a rerun would redo the join for the same answer.
   */
  public static final String OUTPUT_REJECTED = "OutputRejected";
  /** The host's work directory no longer holds the job's files; rerun the sequence on a host. */
  public static final String WORK_DIR_LOST = "WorkDirLost";
  /** A worker refused to claim a job: all its job slots are busy or it is shutting down. Retried. */
  public static final String HOST_UNAVAILABLE = "HostUnavailable";
  /** The worker is shutting down; the job must move to another host now. */
  public static final String WORKER_SHUTDOWN = "WorkerShutdown";
  /** FFmpeg exited non-zero. Retryable: it may be a transient fault. */
  public static final String FFMPEG_FAILED = "FfmpegFailed";
  /** FFmpeg was killed by a signal (for example the kernel's OOM killer). Retryable. */
  public static final String FFMPEG_KILLED = "FfmpegKilled";
  /** FFmpeg made no progress for longer than the stall limit and was killed. Retryable. */
  public static final String FFMPEG_STALLED = "FfmpegStalled";
  /**
   * The host's work directory lacks the free space a job needs (checked before the download, or
   * "no space left on device" while writing). Retryable: the job's files are deleted at once and
   * the workflow reruns the job on another host.
   */
  public static final String INSUFFICIENT_DISK = "InsufficientDisk";
  /**
   * The host's work directory cannot be written (permission denied, read-only file system, an I/O
   * error of the disk). Retryable for the same reason: another host's disk may be fine.
   */
  public static final String WORK_DIR_UNUSABLE = "WorkDirUnusable";
  /** A segment, cover or output lies outside the locations the operator allows. Not retryable. */
  public static final String LOCATION_NOT_ALLOWED = "LocationNotAllowed";
  /** The job asks for more than an operator's ceiling (segments, bytes, decoded audio, timeouts). Not retryable. */
  public static final String LIMIT_EXCEEDED = "LimitExceeded";
  /** FFmpeg needed more memory than CONCAT_FFMPEG_MAX_MEMORY allows it. Not retryable: every host has the ceiling. */
  public static final String FFMPEG_OUT_OF_MEMORY = "FfmpegOutOfMemory";
  /** The job ran past its maximum processing time. */
  public static final String MAX_PROCESSING_TIME = "MaxProcessingTimeExceeded";

  /** Failure types that no retry can fix. */
  public static final String[] NON_RETRYABLE = {INVALID_REQUEST, INVALID_SEGMENT, INVALID_COVER, MISSING_BUCKET,
      OUTPUT_EXISTS, OUTPUT_REJECTED, LOCATION_NOT_ALLOWED, LIMIT_EXCEEDED, FFMPEG_OUT_OF_MEMORY};

  private FailureTypes() {}
}
