package dev.concat.activities.storage;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a failed or stopped upload left at the key decides what the job is told: the upload's mark
 * ({@link OutputGuard#UPLOAD_MARK}) tells its object from any other. A failure whose object is
 * there whole was a failure of the answer, not of the write, and counts as done; an incomplete one,
 * or one completed by a job that was stopped, is deleted.
 */
final class FailedUploadCheck {
  private static final Logger log = LoggerFactory.getLogger(FailedUploadCheck.class);

  /** A request the client gave up on lands within this, or not at all. */
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private static final long POLL_MILLIS = 250;

  private final S3Client s3;
  private final OutputGuard guard;

  FailedUploadCheck(S3Client s3, OutputGuard guard) {
    this.s3 = s3;
    this.guard = guard;
  }

  /**
   * Returns normally when this upload's object is there whole; otherwise throws the failure to
   * report.
   */
  void afterFailure(OutputPut put, long size, ExecutionException error) {
    OutputGuard.Found now;
    try {
      now = settled(put, error);
    } catch (RuntimeException unreachable) {
      throw S3Failures.forOutput(put.jobId(), put.target(), error);
    }
    if (put.uploadId().equals(now.uploadId())) {
      if (now.head().contentLength() == size) {
        log.warn(
            "job {}: the upload to {} reported a failure ({}) but the store holds its object whole; "
                + "counted done",
            put.jobId(),
            put.target(),
            S3Failures.unwrap(error).getMessage());
        return;
      }
      delete(put, "it is incomplete (" + now.head().contentLength() + " of " + size + " bytes)");
    }
    if (OutputUploader.status(error) == 412) {
      throw OutputGuard.exists(put.jobId(), put.target(), now);
    }
    throw S3Failures.forOutput(put.jobId(), put.target(), error);
  }

  /** A stopped job leaves no object its upload completed in the meantime. */
  void afterStop(OutputPut put) {
    try {
      OutputGuard.Found now = guard.inspect(put.jobId(), put.target());
      if (put.uploadId().equals(now.uploadId())) {
        delete(put, "the job was stopped");
      }
    } catch (RuntimeException e) {
      log.warn(
          "job {}: could not check {} after stopping its upload: {}",
          put.jobId(),
          put.target(),
          e.toString());
    }
  }

  /**
   * What the key holds once the failed request has had time to land: a failure without a real
   * answer (a 1xx status, a broken connection) may come while the store is still taking the body it
   * will keep.
   */
  private OutputGuard.Found settled(OutputPut put, ExecutionException error) {
    OutputGuard.Found now = guard.inspect(put.jobId(), put.target());
    boolean answered = OutputUploader.status(error) >= 200;
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!answered && !put.uploadId().equals(now.uploadId()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = guard.inspect(put.jobId(), put.target());
    }
    return now;
  }

  private void delete(OutputPut put, String why) {
    try {
      s3.deleteObject(b -> b.bucket(put.target().bucket()).key(put.target().key()));
      log.warn(
          "job {}: deleted the object its upload left at {} because {}",
          put.jobId(),
          put.target(),
          why);
    } catch (SdkException e) {
      log.warn(
          "job {}: could not delete the object its upload left at {} ({}): {}",
          put.jobId(),
          put.target(),
          why,
          e.getMessage());
    }
  }
}
