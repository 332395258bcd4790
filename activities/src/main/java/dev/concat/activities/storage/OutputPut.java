package dev.concat.activities.storage;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.OutputObject;
import dev.concat.contract.rules.S3Uri;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * The PUT of one output: its headers, storage settings and concat's mark. The transfer manager
 * carries the same fields over to a multipart upload's create and complete requests.
 *
 * @param uploadId this upload's own id in the mark, so a failed upload can tell its object from any
 *     other
 * @param ifAbsent send {@code If-None-Match: *}, so the store refuses the write if an object
 *     appeared at the key since it was checked
 */
record OutputPut(
    String jobId,
    S3Uri target,
    OutputFormat format,
    OutputObject object,
    String uploadId,
    boolean ifAbsent) {

  OutputPut unconditional() {
    return new OutputPut(jobId, target, format, object, uploadId, false);
  }

  PutObjectRequest request() {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(target.bucket())
            .key(target.key())
            .contentType(format.contentType())
            .metadata(metadata())
            .cacheControl(object.cacheControl())
            .contentDisposition(object.contentDisposition())
            .storageClass(object.storageClass())
            .serverSideEncryption(object.encryption())
            .ssekmsKeyId(object.kmsKeyId())
            .expectedBucketOwner(object.expectedBucketOwner());
    if (!object.tagsOrEmpty().isEmpty()) {
      put.tagging(tagging());
    }
    if (ifAbsent) {
      put.ifNoneMatch("*");
    }
    return put.build();
  }

  /** The same object's multipart upload, for an upload that copies some of its parts. */
  CreateMultipartUploadRequest createRequest() {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(target.bucket())
            .key(target.key())
            .contentType(format.contentType())
            .metadata(metadata())
            .cacheControl(object.cacheControl())
            .contentDisposition(object.contentDisposition())
            .storageClass(object.storageClass())
            .serverSideEncryption(object.encryption())
            .ssekmsKeyId(object.kmsKeyId())
            .expectedBucketOwner(object.expectedBucketOwner());
    if (!object.tagsOrEmpty().isEmpty()) {
      create.tagging(tagging());
    }
    return create.build();
  }

  /** Completes {@code uploadId} with {@code parts}, under this put's condition. */
  CompleteMultipartUploadRequest completeRequest(String multipartId, List<CompletedPart> parts) {
    CompleteMultipartUploadRequest.Builder complete =
        CompleteMultipartUploadRequest.builder()
            .bucket(target.bucket())
            .key(target.key())
            .uploadId(multipartId)
            .multipartUpload(m -> m.parts(parts))
            .expectedBucketOwner(object.expectedBucketOwner());
    if (ifAbsent) {
      complete.ifNoneMatch("*");
    }
    return complete.build();
  }

  private Map<String, String> metadata() {
    Map<String, String> metadata = new LinkedHashMap<>(object.metadataOrEmpty());
    metadata.put(OutputGuard.JOB_MARK, jobId);
    metadata.put(OutputGuard.UPLOAD_MARK, uploadId);
    return metadata;
  }

  private Tagging tagging() {
    return Tagging.builder()
        .tagSet(
            object.tagsOrEmpty().entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                .toList())
        .build();
  }
}
