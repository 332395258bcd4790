package dev.concat.activities.storage;

import dev.concat.contract.rules.S3Uri;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.model.FileUpload;
import software.amazon.awssdk.transfer.s3.model.ResumableFileUpload;

/**
 * Stops an upload and aborts its multipart upload before the activity returns. The SDK aborts on
 * its own when an upload fails, but asynchronously; a worker that is shutting down may exit before
 * that request is sent, leaving stored parts that S3 bills for until a lifecycle rule removes them.
 * Pausing hands us the upload id, so the abort is sent here and now.
 *
 * <p>Only uploads this worker started are aborted, by their id: another writer's multipart upload
 * to the same key is none of concat's business. An abort that cannot reach the store is tried again
 * by the next upload to the same key in this process; one lost with its worker is left to the
 * bucket's lifecycle rule (AbortIncompleteMultipartUpload).
 */
final class MultipartAbort {
  private static final Logger log = LoggerFactory.getLogger(MultipartAbort.class);

  private final S3Client s3;
  private final Map<S3Uri, Set<String>> pending = new ConcurrentHashMap<>();

  MultipartAbort(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * Aborts the uploads to {@code target} whose abort failed earlier; returns how many it aborted
   * now.
   */
  int abortPending(String jobId, S3Uri target) {
    Set<String> ids = pending.getOrDefault(target, Set.of());
    int aborted = 0;
    for (String uploadId : Set.copyOf(ids)) {
      if (abort(jobId, target, uploadId)) {
        log.info(
            "job {}: the multipart upload {} to {} was left by an earlier attempt",
            jobId,
            uploadId,
            target);
        aborted++;
      }
    }
    return aborted;
  }

  /** Stops {@code upload} and aborts the multipart upload it started, if any. */
  void stop(String jobId, FileUpload upload, S3Uri target) {
    uploadId(jobId, upload, target).ifPresent(uploadId -> abort(jobId, target, uploadId));
  }

  private Optional<String> uploadId(String jobId, FileUpload upload, S3Uri target) {
    try {
      ResumableFileUpload paused = upload.pause();
      return paused.multipartUploadId();
    } catch (RuntimeException e) {
      upload.completionFuture().cancel(true);
      log.warn("job {}: could not pause the upload to {}: {}", jobId, target, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Aborts the multipart upload {@code uploadId} to {@code target}; returns whether it is gone now.
   * If the store could not be reached it stays pending, for the next upload to the same key.
   */
  boolean abort(String jobId, S3Uri target, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
      log.info("job {}: aborted multipart upload {} to {}", jobId, uploadId, target);
    } catch (NoSuchUploadException alreadyGone) {
      // The SDK's own abort after a failure got there first.
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        return keep(jobId, target, uploadId, e);
      }
    } catch (SdkException e) {
      return keep(jobId, target, uploadId, e);
    }
    pending.computeIfPresent(
        target,
        (t, ids) -> {
          ids.remove(uploadId);
          return ids.isEmpty() ? null : ids;
        });
    return true;
  }

  private boolean keep(String jobId, S3Uri target, String uploadId, Exception e) {
    pending.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(uploadId);
    log.warn(
        "job {}: could not abort multipart upload {} to {} now ({}); the next upload to it will",
        jobId,
        uploadId,
        target,
        e.getMessage());
    return false;
  }
}
