package dev.concat.activities.storage;

import dev.concat.activities.FailureTypes;
import dev.concat.activities.S3Uri;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns S3 errors into what the retry policy understands: a missing object or bucket is bad
 * input (not retryable), so is an output the store refuses for good; anything else (5xx, lost
 * connections, timeouts) is a plain exception that the activity's retry policy retries.
 */
final class S3Failures {

  static RuntimeException forSegment(String jobId, int index, S3Uri uri, Throwable error) {
    return forInput("job " + jobId + ": segment " + index + " (" + uri + ")", uri, error, FailureTypes.INVALID_SEGMENT);
  }

  /** @param missingType the failure type when the object does not exist */
  static RuntimeException forInput(String what, S3Uri uri, Throwable error, String missingType) {
    Throwable e = unwrap(error);
    if (isMissingBucket(e)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          what + ": bucket '" + uri.bucket() + "' does not exist", FailureTypes.MISSING_BUCKET, e);
    }
    if (e instanceof NoSuchKeyException || (e instanceof S3Exception s3 && s3.statusCode() == 404)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          what + " does not exist", missingType, e);
    }
    return new RuntimeException(what + " could not be downloaded: " + e.getMessage(), e);
  }

  static RuntimeException forOutput(String jobId, S3Uri uri, Throwable error) {
    Throwable e = unwrap(error);
    String what = "job " + jobId + ": output " + uri;
    if (isMissingBucket(e)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          what + ": bucket '" + uri.bucket() + "' does not exist", FailureTypes.MISSING_BUCKET, e);
    }
    if (e instanceof S3Exception s3 && isFinal(s3.statusCode())) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return ApplicationFailure.newNonRetryableFailureWithCause(what + " was refused by the store (HTTP "
          + s3.statusCode() + (code == null ? "" : " " + code) + "): " + e.getMessage(), FailureTypes.OUTPUT_REJECTED, e);
    }
    return new RuntimeException(what + " could not be uploaded: " + e.getMessage(), e);
  }

  /**
   * Answers no rerun changes: a client error other than a timeout or throttling (access denied,
   * an unsupported storage class or encryption), a feature the store does not implement (501),
   * or a status that is no final answer at all (1xx, a protocol error).
   */
  private static boolean isFinal(int status) {
    return status < 200 || status == 501 || (status >= 400 && status < 500 && status != 408 && status != 429);
  }

  private static boolean isMissingBucket(Throwable e) {
    return e instanceof NoSuchBucketException
        || (e instanceof S3Exception s3 && s3.awsErrorDetails() != null
            && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode()));
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private S3Failures() {}
}
