package dev.concat.activities.workdir;

import dev.concat.contract.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A fault of this host's disk, not of S3 or of the input: no space left, permission denied, a
 * read-only or failing file system. It is never retried on this host; the activity deletes the
 * job's files and fails with {@link #failureType()}, so the workflow reruns the job on another.
 */
public final class LocalDiskFault extends RuntimeException {
  private final FailureType failureType;
  private final long neededBytes;

  private LocalDiskFault(
      String message, FailureType failureType, long neededBytes, Throwable cause) {
    super(message, cause);
    this.failureType = failureType;
    this.neededBytes = neededBytes;
  }

  /**
   * The free-space check found less than {@code neededBytes}; {@code message} says where and how
   * much.
   */
  public static LocalDiskFault insufficient(String message, long neededBytes) {
    return new LocalDiskFault(message, FailureType.INSUFFICIENT_DISK, neededBytes, null);
  }

  /**
   * Names the local fault behind {@code e}, raised while writing {@code file} for {@code what};
   * {@code neededBytes} is what the write still needed (0 when unknown).
   */
  public static LocalDiskFault writing(String what, Path file, long neededBytes, IOException e) {
    String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (reason.contains("no space left")
        || reason.contains("quota exceeded")
        || reason.contains("file too large")) {
      return new LocalDiskFault(
          what
              + ": the work directory ran out of space writing "
              + file
              + " ("
              + DiskSpace.describe(file)
              + "; "
              + DiskSpace.mib(neededBytes)
              + " still to write): "
              + e.getMessage(),
          FailureType.INSUFFICIENT_DISK,
          neededBytes,
          e);
    }
    String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return new LocalDiskFault(
        what + ": cannot write " + file + " on this host (" + why + ")",
        FailureType.WORK_DIR_UNUSABLE,
        0,
        e);
  }

  /**
   * This fault, needing at least {@code bytes}: what the whole job needs, known better by the
   * caller.
   */
  public LocalDiskFault needing(long bytes) {
    return bytes <= neededBytes
        ? this
        : new LocalDiskFault(getMessage(), failureType, bytes, getCause());
  }

  /** The failure type the activity reports: {@code InsufficientDisk} or {@code WorkDirUnusable}. */
  public FailureType failureType() {
    return failureType;
  }

  /** The space the job needed on this host, or 0 when unknown. */
  public long neededBytes() {
    return neededBytes;
  }

  /** The retryable failure the workflow sees; it reruns the job on another host. */
  public ApplicationFailure toFailure(String worker) {
    return failureType.failureWithCause(
        getMessage()
            + "; on worker "
            + worker
            + ", the job's files there are deleted and the job moves to another host",
        getCause());
  }
}
