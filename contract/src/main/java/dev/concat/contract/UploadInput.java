package dev.concat.contract;

/**
 * @param jobId the job id; names the work directory that holds the joined file
 * @param output the destination S3 URI
 * @param overwrite replace an object at the output key that this job did not write; null means no
 * @param object how the object is stored (headers, storage class, encryption, tags, metadata); null
 *     means the worker's defaults
 * @param progressToken names the workflow's current attempt in progress reports, or null
 */
public record UploadInput(
    String jobId, String output, Boolean overwrite, OutputObject object, String progressToken) {

  public UploadInput(String jobId, String output) {
    this(jobId, output, null, null, null);
  }

  public UploadInput(String jobId, String output, Boolean overwrite, OutputObject object) {
    this(jobId, output, overwrite, object, null);
  }

  public boolean overwriteAllowed() {
    return Boolean.TRUE.equals(overwrite);
  }
}
