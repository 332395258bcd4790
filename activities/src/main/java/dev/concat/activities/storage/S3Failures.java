package dev.concat.activities.storage;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns S3 errors into what the retry policy understands: a missing object or bucket is bad input
 * (not retryable), so is an output the store refuses for good; anything else (5xx, lost
 * connections, timeouts) is a plain exception that the activity's retry policy retries.
 */
final class S3Failures {

  /**
   * @param missingType the failure type when the object does not exist
   */
  static RuntimeException forInput(
      FailureSubject about, S3Uri uri, Throwable error, FailureType missingType) {
    Throwable e = unwrap(error);
    if (isMissingBucket(e)) {
      return missingBucket(about, uri, e);
    }
    if (e instanceof NoSuchKeyException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404)) {
      return missingType.failureWithCause(about.describe("does not exist"), e);
    }
    return new RuntimeException(about.describe("could not be downloaded: " + e.getMessage()), e);
  }

  static RuntimeException forOutput(String jobId, S3Uri uri, Throwable error) {
    Throwable e = unwrap(error);
    FailureSubject about = FailureSubject.output(jobId, uri);
    if (isMissingBucket(e)) {
      return missingBucket(about, uri, e);
    }
    if (e instanceof S3Exception s3 && isFinal(s3.statusCode())) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return FailureType.OUTPUT_REJECTED.failureWithCause(
          about.describe(
              "was refused by the store (HTTP "
                  + s3.statusCode()
                  + (code == null ? "" : " " + code)
                  + "): "
                  + e.getMessage()),
          e);
    }
    return new RuntimeException(about.describe("could not be uploaded: " + e.getMessage()), e);
  }

  /**
   * Also for {@link OutputBucketCheck}: {@code job j: output s3://b/k: bucket 'b' does not exist}.
   */
  static ApplicationFailure missingBucket(FailureSubject about, S3Uri uri, Throwable e) {
    return FailureType.MISSING_BUCKET.failureWithCause(
        about.prefix() + ": bucket '" + uri.bucket() + "' does not exist", e);
  }

  /**
   * Answers no rerun changes: a client error other than a timeout or throttling (access denied, an
   * unsupported storage class or encryption), a feature the store does not implement (501), or a
   * status that is no final answer at all (1xx, a protocol error).
   */
  private static boolean isFinal(int status) {
    return status < 200
        || status == 501
        || (status >= 400 && status < 500 && status != 408 && status != 429);
  }

  private static boolean isMissingBucket(Throwable e) {
    return e instanceof NoSuchBucketException
        || (e instanceof S3Exception s3
            && s3.awsErrorDetails() != null
            && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode()));
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private S3Failures() {}
}
