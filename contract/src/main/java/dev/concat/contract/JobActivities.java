package dev.concat.contract;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The host-bound steps of a job. All of them run on one host's task queue because they share the
 * job's local work directory.
 */
@ActivityInterface
public interface JobActivities {

  /**
   * Fetches every segment into the job's work directory; resumes from heartbeat details on retry.
   */
  @ActivityMethod
  DownloadResult download(DownloadInput input);

  /** Probes the downloaded segments and joins them with FFmpeg into the job's output file. */
  @ActivityMethod
  ConcatOutput concat(ConcatInput input);

  /**
   * Joins a spread encode's chunks, once every one is staged, into the job's output file on this
   * host, and measures it, as {@link #concat} would have; {@code input} is the one {@link #concat}
   * staged them for.
   */
  @ActivityMethod
  ConcatOutput assemble(ConcatInput input, StagedChunks staged);

  /**
   * Uploads the joined file to the output key with a multipart transfer, then deletes the work
   * directory.
   */
  @ActivityMethod
  UploadResult upload(UploadInput input);

  /** Deletes the job's work directory; safe to call when it does not exist. */
  @ActivityMethod
  void cleanup(String jobId);
}
