package dev.concat.app.jobs;

import dev.concat.contract.rules.S3Uri;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A cover image given as a local file, and where the CLI uploads it before the job starts.
 *
 * @param file the local file
 * @param target its staging object, next to the job's staged segments
 */
public record LocalCover(Path file, S3Uri target) {

  /**
   * {@code concat-staging/<jobId>/cover.<ext>}: the file's own extension, in lower case, tells JPEG
   * from PNG.
   */
  static LocalCover stage(String bucket, String jobId, Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension =
        dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "_");
    return new LocalCover(
        file, new S3Uri(bucket, LocalSegment.STAGING_PREFIX + jobId + "/cover" + extension));
  }
}
