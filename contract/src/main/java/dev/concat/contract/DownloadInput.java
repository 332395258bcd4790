package dev.concat.contract;

import java.util.List;

/**
 * @param jobId the job (and workflow) id; names the work directory
 * @param segments the segments' S3 URIs ({@code s3://bucket/key}), in playing order
 * @param output the job's output URI, whose bucket is checked before any GET so that a typo fails
 *     the job at once rather than after the whole concat; null skips the check
 * @param resumeFrom the last heartbeat details of an earlier download of this job that was lost
 *     (its worker died or hung), or null
 * @param cover the S3 URI of the episode's cover image, fetched after the segments; or null
 * @param overwrite whether the output may replace an object this job did not write; null means no,
 *     and such an object fails the job before any GET
 * @param progressToken names the workflow's current attempt in progress reports; null from a job
 *     started before the token existed (progress then goes by the legacy signal)
 */
public record DownloadInput(
    String jobId,
    List<String> segments,
    String output,
    DownloadCheckpoint resumeFrom,
    String cover,
    Boolean overwrite,
    String progressToken) {

  public DownloadInput(
      String jobId,
      List<String> segments,
      String output,
      DownloadCheckpoint resumeFrom,
      String cover) {
    this(jobId, segments, output, resumeFrom, cover, null, null);
  }

  public DownloadInput(
      String jobId,
      List<String> segments,
      String output,
      DownloadCheckpoint resumeFrom,
      String cover,
      Boolean overwrite) {
    this(jobId, segments, output, resumeFrom, cover, overwrite, null);
  }

  public DownloadInput(String jobId, List<String> segments) {
    this(jobId, segments, null, null, null);
  }

  public DownloadInput(
      String jobId, List<String> segments, String output, DownloadCheckpoint resumeFrom) {
    this(jobId, segments, output, resumeFrom, null);
  }
}
