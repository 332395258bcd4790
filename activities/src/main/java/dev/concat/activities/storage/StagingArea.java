package dev.concat.activities.storage;

import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A job's staging prefix in S3, where a spread MP3 encode's chunk inputs and encoded frames live
 * until the job ends: {@code s3://<output bucket>/.concat-staging/<jobId>/} by default. Only a
 * prefix whose last two levels are {@code .concat-staging/<jobId>/} is ever opened, so that a bug
 * or a forged request never lists, overwrites or deletes anything else.
 */
public final class StagingArea implements PieceStore {
  public static final String ROOT = ".concat-staging/";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

  /** S3's most keys in one DeleteObjects request. */
  private static final int DELETE_BATCH = 1_000;

  private final S3Client s3;
  private final String jobId;
  private final S3Uri prefix;

  private StagingArea(S3Client s3, String jobId, S3Uri prefix) {
    this.s3 = s3;
    this.jobId = jobId;
    this.prefix = prefix;
  }

  /** The job's default staging prefix, in its output's bucket. */
  public static StagingArea forOutput(S3Client s3, String jobId, S3Uri output) {
    return new StagingArea(s3, jobId, new S3Uri(output.bucket(), ROOT + jobId + "/"));
  }

  /**
   * The staging prefix a workflow handed back; refused ({@code InvalidRequest}) unless it is a
   * staging prefix of this job.
   */
  public static StagingArea at(S3Client s3, String jobId, String prefix) {
    // S3Uri refuses "." and ".." parts, so the pattern's last two levels are the key's own.
    S3Uri uri = S3Uri.problem(prefix).isEmpty() ? S3Uri.parse(prefix) : null;
    Pattern staging = Pattern.compile("(.+/)?" + Pattern.quote(ROOT + jobId + "/"));
    if (uri == null || !staging.matcher(uri.key()).matches()) {
      throw FailureType.INVALID_REQUEST.failure(
          FailureSubject.job(jobId)
              .describe(
                  "refuses to use "
                      + prefix
                      + " as its staging prefix: only a prefix ending in "
                      + ROOT
                      + jobId
                      + "/ holds staged chunks"));
    }
    return new StagingArea(s3, jobId, uri);
  }

  @Override
  public String prefix() {
    return prefix.toString();
  }

  /**
   * Where {@code name} is stored; a name is a plain file name (it also names a file on the job's
   * host), never a path.
   */
  public S3Uri uri(String name) {
    if (!NAME.matcher(name).matches()) {
      throw FailureType.INVALID_REQUEST.failure(
          FailureSubject.job(jobId).describe("'" + name + "' is not a staged file's name"));
    }
    return new S3Uri(prefix.bucket(), prefix.key() + name);
  }

  /** What every message about a chunk's file begins with: the job, the chunk and its key. */
  public FailureSubject chunk(int index, String name) {
    return new FailureSubject(jobId, "chunk " + index + " (" + uri(name) + ")");
  }

  /** The stored size of {@code name}, or empty when it is not there. */
  public OptionalLong size(String name) {
    S3Uri uri = uri(name);
    try {
      return OptionalLong.of(
          s3.headObject(b -> b.bucket(uri.bucket()).key(uri.key())).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return OptionalLong.empty();
      }
      throw failed(FailureSubject.job(jobId), "could not look up " + uri, e);
    } catch (SdkException e) {
      throw failed(FailureSubject.job(jobId), "could not look up " + uri, e);
    }
  }

  @Override
  public boolean holds(String name, long bytes) {
    OptionalLong size = size(name);
    return size.isPresent() && size.getAsLong() == bytes;
  }

  /** A PUT lands whole or not at all: a reader never sees part of a file. */
  @Override
  public void put(int chunk, String name, Path file) {
    S3Uri uri = uri(name);
    try {
      s3.putObject(b -> b.bucket(uri.bucket()).key(uri.key()), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failed(chunk(chunk, name), "could not be stored", e);
    }
  }

  /**
   * Fetches {@code name} into {@code target} (through a temporary file beside it), or fails as
   * {@code WorkDirLost} when it is not there: the staging was lost and the job's host must stage
   * again.
   *
   * @param about the chunk the file belongs to, for messages
   */
  public void get(String name, Path target, FailureSubject about) throws IOException {
    if (!getIfStaged(name, target, about)) {
      throw FailureType.WORK_DIR_LOST.failure(
          about.describe(
              "is not staged: the staging was lost (deleted, or the job's host staged it for"
                  + " another run); the job's host must stage the chunks again"));
    }
  }

  /**
   * As {@link #get}, for a file that may not have been staged: returns false, fetching nothing,
   * when it is not there.
   */
  public boolean getIfStaged(String name, Path target, FailureSubject about) throws IOException {
    S3Uri uri = uri(name);
    Path part = WholeFile.inProgress(target);
    Files.deleteIfExists(part);
    try {
      s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key()), part);
    } catch (NoSuchKeyException e) {
      Files.deleteIfExists(part);
      return false;
    } catch (SdkException e) {
      Files.deleteIfExists(part);
      throw failed(about, "could not be fetched", e);
    }
    WholeFile.finish(target);
    return true;
  }

  /** The names under the prefix that start with {@code start}, with their sizes. */
  public Map<String, Long> sizes(String start) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    try {
      for (var page :
          s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key() + start))) {
        for (S3Object object : page.contents()) {
          sizes.put(object.key().substring(prefix.key().length()), object.size());
        }
      }
    } catch (SdkException e) {
      throw failed(FailureSubject.job(jobId), "could not list what is staged under " + prefix, e);
    }
    return sizes;
  }

  /** Deletes everything under the prefix; returns how many objects it deleted. */
  public int deleteAll() {
    int deleted = 0;
    try {
      for (var page :
          s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key()))) {
        List<ObjectIdentifier> keys =
            page.contents().stream()
                .map(S3Object::key)
                .map(key -> ObjectIdentifier.builder().key(key).build())
                .toList();
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
          List<ObjectIdentifier> batch =
              keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH));
          var result =
              s3.deleteObjects(
                  b -> b.bucket(prefix.bucket()).delete(d -> d.objects(batch).quiet(true)));
          if (!result.errors().isEmpty()) {
            throw new IllegalStateException(
                FailureSubject.job(jobId)
                    .describe(
                        "could not delete "
                            + result.errors().size()
                            + " staged files under "
                            + prefix
                            + ", the first "
                            + result.errors().get(0).key()
                            + ": "
                            + result.errors().get(0).message()));
          }
          deleted += batch.size();
        }
      }
    } catch (SdkException e) {
      throw failed(FailureSubject.job(jobId), "could not delete what is staged under " + prefix, e);
    }
    return deleted;
  }

  /** A transient fault of S3 as far as anyone can tell: the retry policy applies. */
  private static RuntimeException failed(FailureSubject about, String what, SdkException e) {
    return new RuntimeException(about.describe(what + ": " + e.getMessage()), e);
  }
}
