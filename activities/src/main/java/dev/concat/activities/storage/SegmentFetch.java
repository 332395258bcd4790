package dev.concat.activities.storage;

import dev.concat.activities.workdir.LocalDiskFault;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fetches one object into a temporary file and renames it into place, so a file under the final
 * name is complete. The body is copied here rather than by the SDK, so that every byte is counted
 * (the download heartbeats on them), a body cut mid-way resumes with a ranged GET instead of
 * starting over, and a failed write is named as this host's fault instead of being retried as if S3
 * were at fault.
 */
final class SegmentFetch {
  private static final Logger log = LoggerFactory.getLogger(SegmentFetch.class);

  /** GETs in a row that receive no byte before the fetch fails as a transient fault of S3. */
  private static final int TRIES_WITHOUT_PROGRESS = 3;

  private static final int BUFFER_BYTES = 64 * 1024;

  private final S3Client s3;

  SegmentFetch(S3Client s3) {
    this.s3 = s3;
  }

  /** Returns the segment's size in bytes. */
  long fetch(String jobId, int index, S3Uri uri, Path target, TransferWatch watch) {
    return fetch(
        FailureSubject.segment(jobId, index, uri), uri, target, FailureType.INVALID_SEGMENT, watch);
  }

  /**
   * Fails as {@code badType} when the object does not exist: a HEAD, to fail before a long
   * download.
   */
  void requireExists(FailureSubject about, S3Uri uri, FailureType badType) {
    size(about, uri, badType);
  }

  /** The object's size from a HEAD; fails as {@code badType} when it does not exist. */
  long size(FailureSubject about, S3Uri uri, FailureType badType) {
    try {
      return s3.headObject(b -> b.bucket(uri.bucket()).key(uri.key())).contentLength();
    } catch (S3Exception e) {
      // A HEAD's 404 has no body to say whether the key or the bucket is missing.
      throw S3Failures.forInput(
          about, uri, e.statusCode() == 404 && !bucketExists(uri) ? noSuchBucket(e) : e, badType);
    } catch (SdkException e) {
      throw S3Failures.forInput(about, uri, e, badType);
    }
  }

  private boolean bucketExists(S3Uri uri) {
    try {
      s3.headBucket(b -> b.bucket(uri.bucket()));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      return e.statusCode() != 404;
    }
  }

  private static NoSuchBucketException noSuchBucket(S3Exception e) {
    return (NoSuchBucketException)
        NoSuchBucketException.builder().message(e.getMessage()).statusCode(404).cause(e).build();
  }

  /**
   * Fetches any input object, named as {@code about} in errors; a missing or empty one fails as
   * {@code badType}. A partial file an earlier GET left for the same object is continued.
   */
  long fetch(
      FailureSubject about, S3Uri uri, Path target, FailureType badType, TransferWatch watch) {
    String what = about.prefix();
    PartialFile partial = PartialFile.at(what, WholeFile.inProgress(target));
    int triesWithoutProgress = 0;
    while (!whole(partial)) {
      long before = partial.size();
      Throwable broke = null;
      try {
        getInto(partial, about, uri, badType, watch);
      } catch (BodyCut e) {
        broke = e.getCause();
      }
      if (whole(partial)) {
        break;
      }
      String why = broke == null ? "the body ended early or the object changed" : broke.toString();
      if (watch.isClosed() || Thread.currentThread().isInterrupted()) {
        throw new RuntimeException(what + ": download stopped", broke);
      }
      triesWithoutProgress = partial.size() > before ? 0 : triesWithoutProgress + 1;
      if (triesWithoutProgress >= TRIES_WITHOUT_PROGRESS) {
        throw new RuntimeException(
            what
                + " could not be downloaded: "
                + TRIES_WITHOUT_PROGRESS
                + " GETs in a row received nothing, the last because "
                + why,
            broke);
      }
      if (partial.etag() != null) {
        log.info(
            "{}: the transfer stopped after {} of {} bytes ({}); resuming with a ranged GET",
            what,
            partial.size(),
            partial.length(),
            why);
      }
    }
    if (partial.length() == 0) {
      partial.discard();
      throw badType.failure(about.describe("is empty (0 bytes)"));
    }
    partial.complete(target);
    return partial.length();
  }

  private static boolean whole(PartialFile partial) {
    return partial.etag() != null && partial.size() == partial.length();
  }

  /** One GET: from the start, or the rest of the object when the partial file belongs to it. */
  private void getInto(
      PartialFile partial,
      FailureSubject about,
      S3Uri uri,
      FailureType badType,
      TransferWatch watch) {
    String what = about.prefix();
    long offset = partial.resumableBytes();
    if (offset == 0 && partial.size() > 0) {
      partial.discard();
    }
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(uri.bucket()).key(uri.key());
    if (offset > 0) {
      // If-Match: S3 answers 412 rather than the rest of an object that changed meanwhile.
      request.range("bytes=" + offset + "-").ifMatch(partial.etag());
    }
    ResponseInputStream<GetObjectResponse> body;
    try {
      body = s3.getObject(request.build());
    } catch (S3Exception e) {
      if (offset > 0 && (e.statusCode() == 412 || e.statusCode() == 416)) {
        log.info(
            "{}: the object changed since {} bytes were fetched (HTTP {}); fetching it again whole",
            what,
            offset,
            e.statusCode());
        partial.discard();
        return;
      }
      throw S3Failures.forInput(about, uri, e, badType);
    } catch (SdkException e) {
      throw S3Failures.forInput(about, uri, e, badType);
    }
    try (body;
        TransferWatch.Transfer transfer = watch.open(what, body)) {
      try {
        continueFrom(offset, body, partial, what, transfer);
      } catch (RuntimeException e) {
        // Closing an unfinished body would read the rest of it to reuse the connection.
        body.abort();
        throw e;
      }
    } catch (IOException closing) {
      throw new BodyCut(closing);
    }
  }

  private static void continueFrom(
      long offset,
      ResponseInputStream<GetObjectResponse> body,
      PartialFile partial,
      String what,
      TransferWatch.Transfer transfer) {
    GetObjectResponse response = body.response();
    if (offset == 0) {
      partial.begin(response.eTag(), response.contentLength());
    } else if (!partial.sameObject(response.eTag(), totalLength(response))) {
      // A store that ignores If-Match: the ETag or length in the answer says it all the same.
      log.info(
          "{}: the object changed since {} bytes were fetched (ETag {} now {}); fetching it again whole",
          what,
          offset,
          partial.etag(),
          response.eTag());
      body.abort();
      partial.discard();
      return;
    }
    append(body, partial, what, transfer);
  }

  /**
   * Copies the body to the end of the partial file; a read error is {@link BodyCut}, a write error
   * this host's.
   */
  private static void append(
      InputStream body, PartialFile partial, String what, TransferWatch.Transfer transfer) {
    Path file = partial.file();
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n; (n = read(body, buffer)) >= 0; ) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        try {
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        } catch (IOException e) {
          throw LocalDiskFault.writing(what, file, partial.length() - out.size(), e);
        }
        transfer.received(n);
      }
    } catch (IOException e) {
      throw LocalDiskFault.writing(what, file, partial.length(), e);
    }
  }

  private static int read(InputStream body, byte[] buffer) {
    try {
      return body.read(buffer);
    } catch (IOException | UncheckedIOException | SdkException e) {
      throw new BodyCut(e);
    }
  }

  /** The object's whole length from a ranged answer's {@code Content-Range: bytes 100-999/1000}. */
  private static long totalLength(GetObjectResponse response) {
    String range = response.contentRange();
    int slash = range == null ? -1 : range.lastIndexOf('/');
    try {
      return slash < 0 ? -1 : Long.parseLong(range.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The body stopped before its end: the link broke, or the stall watch cut it. */
  private static final class BodyCut extends RuntimeException {
    BodyCut(Throwable cause) {
      super(cause);
    }
  }
}
