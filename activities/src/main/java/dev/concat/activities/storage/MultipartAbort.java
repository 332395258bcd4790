package dev.concat.activities.storage;

import dev.concat.activities.S3Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.transfer.s3.model.FileUpload;
import software.amazon.awssdk.transfer.s3.model.ResumableFileUpload;

/**
 * Stops an upload and aborts its multipart upload before the activity returns. The SDK aborts on
 * its own when an upload fails, but asynchronously; a worker that is shutting down may exit
 * before that request is sent, leaving stored parts that S3 bills for until a lifecycle rule
 * removes them. Pausing hands us the upload id, so the abort is sent here and now.
 *
 * <p>An abort cannot reach a store that is down, so every upload first aborts the unfinished
 * multipart uploads an earlier attempt left at the same key (the key is the job's own output).
 */
final class MultipartAbort {
  private static final Logger log = LoggerFactory.getLogger(MultipartAbort.class);

  private final S3Client s3;

  MultipartAbort(S3Client s3) {
    this.s3 = s3;
  }

  /** Aborts every unfinished multipart upload to exactly {@code target}; returns how many. */
  int abortLeftovers(String jobId, S3Uri target) {
    int aborted = 0;
    for (MultipartUpload left : s3.listMultipartUploadsPaginator(b -> b.bucket(target.bucket()).prefix(target.key()))
        .uploads()) {
      if (!left.key().equals(target.key())) {
        continue;
      }
      s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(left.uploadId()));
      log.info("job {}: aborted multipart upload {} to {} left by an earlier attempt (started {})", jobId,
          left.uploadId(), target, left.initiated());
      aborted++;
    }
    return aborted;
  }

  void stop(String jobId, FileUpload upload, S3Uri target) {
    ResumableFileUpload paused;
    try {
      paused = upload.pause();
    } catch (RuntimeException e) {
      upload.completionFuture().cancel(true);
      log.warn("job {}: could not pause the upload to {}: {}", jobId, target, e.toString());
      return;
    }
    paused.multipartUploadId().ifPresent(uploadId -> {
      try {
        s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        log.info("job {}: aborted multipart upload {} to {}", jobId, uploadId, target);
      } catch (SdkException e) {
        log.warn("job {}: could not abort multipart upload {} to {}: {}", jobId, uploadId, target, e.toString());
      }
    });
  }
}
