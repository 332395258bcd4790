package dev.concat.app.jobs;

import dev.concat.contract.rules.S3Uri;
import java.nio.file.Path;

/**
 * A segment given as a local file, and where the CLI uploads it before the job starts.
 *
 * @param index the segment's position in the job
 * @param file the local file
 * @param target its staging object
 */
public record LocalSegment(int index, Path file, S3Uri target) {
  static final String STAGING_PREFIX = "concat-staging/";

  /**
   * {@code concat-staging/<jobId>/<index>-<name>}: per job, ordered, and readable in a bucket
   * listing.
   */
  static LocalSegment stage(String bucket, String jobId, int index, Path file) {
    String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    String key = STAGING_PREFIX + jobId + "/" + String.format("%05d", index) + "-" + name;
    return new LocalSegment(index, file, new S3Uri(bucket, key));
  }
}
