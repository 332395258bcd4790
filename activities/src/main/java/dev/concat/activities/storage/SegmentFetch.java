package dev.concat.activities.storage;

import dev.concat.activities.FailureTypes;
import dev.concat.activities.S3Uri;
import dev.concat.activities.workdir.JobWorkDir;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fetches one segment with a plain GET into a temporary file and renames it into place, so a
 * segment file that exists is complete. (The transfer manager's ranged multipart download fails
 * against S3Proxy, and segments are small enough that one GET each is the simple choice.)
 */
final class SegmentFetch {
  private final S3Client s3;

  SegmentFetch(S3Client s3) {
    this.s3 = s3;
  }

  /** Returns the segment's size in bytes. */
  long fetch(String jobId, int index, S3Uri uri, Path target) {
    return fetch("job " + jobId + ": segment " + index + " (" + uri + ")", uri, target, FailureTypes.INVALID_SEGMENT);
  }

  /** Fails as {@code badType} when the object does not exist: a HEAD, to fail before a long download. */
  void requireExists(String what, S3Uri uri, String badType) {
    try {
      s3.headObject(b -> b.bucket(uri.bucket()).key(uri.key()));
    } catch (SdkException e) {
      throw S3Failures.forInput(what, uri, e, badType);
    }
  }

  /**
   * Fetches any input object, described by {@code what} in errors; a missing or empty one fails
   * as {@code badType}.
   */
  long fetch(String what, S3Uri uri, Path target, String badType) {
    Path temp = JobWorkDir.inProgress(target);
    try {
      Files.deleteIfExists(temp);
      try {
        s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key()), ResponseTransformer.toFile(temp));
      } catch (SdkException e) {
        Files.deleteIfExists(temp);
        throw S3Failures.forInput(what, uri, e, badType);
      }
      long size = Files.size(temp);
      if (size == 0) {
        Files.deleteIfExists(temp);
        throw ApplicationFailure.newNonRetryableFailure(what + " is empty (0 bytes)", badType);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return size;
    } catch (IOException e) {
      throw new UncheckedIOException(what + " could not be written to " + target, e);
    }
  }
}
