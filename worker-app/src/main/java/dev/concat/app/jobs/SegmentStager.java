package dev.concat.app.jobs;

import dev.concat.app.progress.ProgressView;
import dev.concat.app.s3.SharedS3Clients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * Uploads a job's local segment files to their staging keys, several at once, and removes them
 * after the job.
 */
public final class SegmentStager {
  private static final Logger log = LoggerFactory.getLogger(SegmentStager.class);

  /** Enough to hide per-request latency; the transfer manager splits large files on its own. */
  private static final int PARALLEL_FILES = 8;

  private final SharedS3Clients s3;

  public SegmentStager(SharedS3Clients s3) {
    this.s3 = s3;
  }

  public void upload(List<LocalSegment> segments, ProgressView view) throws InterruptedException {
    Semaphore slots = new Semaphore(PARALLEL_FILES);
    AtomicInteger done = new AtomicInteger();
    List<CompletableFuture<?>> uploads = new ArrayList<>();
    view.show("uploading local segments", 0, segments.size());
    for (LocalSegment segment : segments) {
      slots.acquire();
      UploadFileRequest request =
          UploadFileRequest.builder()
              .source(segment.file())
              .putObjectRequest(
                  put -> put.bucket(segment.target().bucket()).key(segment.target().key()))
              .build();
      uploads.add(
          s3.transferManager()
              .uploadFile(request)
              .completionFuture()
              .whenComplete(
                  (result, failure) -> {
                    slots.release();
                    if (failure == null) {
                      view.show(
                          "uploading local segments", done.incrementAndGet(), segments.size());
                    }
                  })
              .exceptionally(
                  failure -> {
                    throw new StagingFailedException(segment, unwrap(failure));
                  }));
    }
    try {
      CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof StagingFailedException staging
          ? staging
          : new StagingFailedException(null, e);
    }
  }

  /** Deletes the staged copies; a failure is only logged, since the job itself is already over. */
  public void remove(List<LocalSegment> segments) {
    for (LocalSegment segment : segments) {
      try {
        s3.client()
            .deleteObject(
                delete -> delete.bucket(segment.target().bucket()).key(segment.target().key()));
      } catch (RuntimeException e) {
        log.warn("staged segment {} not deleted: {}", segment.target(), e.toString());
      }
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** A local segment could not be uploaded; names the file and the target. */
  public static final class StagingFailedException extends RuntimeException {
    StagingFailedException(LocalSegment segment, Throwable cause) {
      super(
          segment == null
              ? "uploading local segments failed: " + cause.getMessage()
              : "uploading segment "
                  + segment.index()
                  + " '"
                  + segment.file()
                  + "' to "
                  + segment.target()
                  + " failed: "
                  + cause.getMessage(),
          cause);
    }
  }
}
