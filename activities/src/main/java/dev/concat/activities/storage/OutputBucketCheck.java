package dev.concat.activities.storage;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.rules.S3Uri;
import io.temporal.failure.ApplicationFailure;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fails a job whose output bucket does not exist before any work is done, instead of after a long
 * concat. Only a definite "no such bucket" fails it: a credential that may write objects but not
 * inspect the bucket (403) lets the job go on.
 */
public final class OutputBucketCheck {
  private final S3Client s3;

  public OutputBucketCheck(S3Client s3) {
    this.s3 = s3;
  }

  public void requireExists(String jobId, S3Uri output) {
    try {
      s3.headBucket(b -> b.bucket(output.bucket()));
    } catch (NoSuchBucketException e) {
      throw missing(jobId, output, e);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw missing(jobId, output, e);
      }
      if (e.statusCode() != 403) {
        throw uncheckable(jobId, output, e);
      }
    } catch (SdkException e) {
      throw uncheckable(jobId, output, e);
    }
  }

  /** Retryable: the store did not answer; this says nothing about the bucket. */
  private static RuntimeException uncheckable(String jobId, S3Uri output, Exception e) {
    return new RuntimeException(
        FailureSubject.output(jobId, output).prefix()
            + ": could not check that the bucket '"
            + output.bucket()
            + "' exists: "
            + e.getMessage(),
        e);
  }

  private static ApplicationFailure missing(String jobId, S3Uri output, Exception e) {
    return S3Failures.missingBucket(FailureSubject.output(jobId, output), output, e);
  }
}
