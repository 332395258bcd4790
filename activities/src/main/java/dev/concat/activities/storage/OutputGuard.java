package dev.concat.activities.storage;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Who holds the output key, read from the mark concat writes on every output (user metadata with
 * the job id and the id of the upload that wrote it). A job may replace its own earlier output (a
 * rerun); anything else only with {@code "overwrite": true}.
 */
public final class OutputGuard {
  /** {@code x-amz-meta-concat-job-id}: the job whose output this is. */
  public static final String JOB_MARK = "concat-job-id";

  /**
   * {@code x-amz-meta-concat-upload-id}: the one upload that wrote it, to reconcile a failed
   * upload.
   */
  public static final String UPLOAD_MARK = "concat-upload-id";

  /** What is at the key. */
  public enum Holder {
    /** No object. */
    NOBODY,
    /** An object this job wrote (its mark names the job). */
    THIS_JOB,
    /** An object someone else wrote, or written without concat's mark. */
    OTHER,
    /** The store would not say (HEAD refused with 403): only a conditional write can tell. */
    UNKNOWN
  }

  /**
   * @param head the object's HEAD, or null when there is none or it could not be read
   */
  public record Found(Holder holder, HeadObjectResponse head) {
    public String uploadId() {
      return head == null ? null : head.metadata().get(UPLOAD_MARK);
    }
  }

  private final S3Client s3;

  public OutputGuard(S3Client s3) {
    this.s3 = s3;
  }

  /** Fails with {@code OutputExists} when the key holds an object this job may not replace. */
  public Found requireWritable(String jobId, S3Uri target, boolean overwrite) {
    Found found = inspect(jobId, target);
    if (found.holder() == Holder.OTHER && !overwrite) {
      throw exists(jobId, target, found);
    }
    return found;
  }

  public Found inspect(String jobId, S3Uri target) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(target.bucket()).key(target.key()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return new Found(Holder.NOBODY, null);
      }
      if (e.statusCode() == 403) {
        return new Found(Holder.UNKNOWN, null);
      }
      throw S3Failures.forOutput(jobId, target, e);
    } catch (SdkException e) {
      throw S3Failures.forOutput(jobId, target, e);
    }
    Map<String, String> metadata = head.metadata();
    return new Found(jobId.equals(metadata.get(JOB_MARK)) ? Holder.THIS_JOB : Holder.OTHER, head);
  }

  static ApplicationFailure exists(String jobId, S3Uri target, Found found) {
    String writer = found.head() == null ? null : found.head().metadata().get(JOB_MARK);
    String by = writer == null ? "not written by concat" : "written by job " + writer;
    return FailureType.OUTPUT_EXISTS.failure(
        FailureSubject.output(jobId, target)
            .describe(
                "already exists ("
                    + by
                    + (found.head() == null ? "" : ", " + found.head().contentLength() + " bytes")
                    + "); the job does not replace it unless the request says \"overwrite\": true"));
  }
}
