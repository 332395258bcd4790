package dev.concat.activities.storage;

import dev.concat.activities.OutputFormat;
import dev.concat.activities.S3Uri;
import dev.concat.activities.UploadResult;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.FileUpload;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;
import software.amazon.awssdk.transfer.s3.progress.TransferListener;

/**
 * The upload phase: sends the joined file with the transfer manager, which switches to a
 * multipart upload above its threshold. A multipart object only appears when the upload
 * completes, so a failed or stopped upload never leaves a partial object at the output key.
 */
public final class OutputUploader {
  private static final Logger log = LoggerFactory.getLogger(OutputUploader.class);
  /** How often the waiting activity thread looks at the byte count and the shutdown gate. */
  private static final long POLL_MILLIS = 250;

  private final S3TransferManager transfer;
  private final MultipartAbort abort;
  private final ShutdownGate gate;
  private final JobMetrics metrics;

  public OutputUploader(S3TransferManager transfer, S3Client s3, ShutdownGate gate, JobMetrics metrics) {
    this.transfer = transfer;
    this.abort = new MultipartAbort(s3);
    this.gate = gate;
    this.metrics = metrics;
  }

  public UploadResult upload(String jobId, Path file, S3Uri target, OutputFormat format, PhaseProgress progress) {
    long started = System.nanoTime();
    long size = sizeOf(file);
    abortLeftovers(jobId, target);
    var sent = new AtomicLong();
    FileUpload upload = transfer.uploadFile(UploadFileRequest.builder()
        .putObjectRequest(b -> b.bucket(target.bucket()).key(target.key()).contentType(format.contentType()))
        .source(file)
        .addTransferListener(new TransferListener() {
          @Override
          public void bytesTransferred(Context.BytesTransferred context) {
            sent.set(context.progressSnapshot().transferredBytes());
          }
        })
        .build());
    try {
      awaitCompletion(upload, sent, progress);
    } catch (ExecutionException e) {
      // The SDK aborts a failed multipart upload itself, but not when the store is unreachable;
      // try once more here, so a job that fails for good does not leave its parts behind.
      abortLeftoversQuietly(jobId, target);
      throw S3Failures.forOutput(jobId, target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort.stop(jobId, upload, target);
      throw new RuntimeException("job " + jobId + ": upload to " + target + " interrupted", e);
    } catch (RuntimeException e) {
      // Cancelled, timed out or shutting down: leave no multipart upload behind.
      abort.stop(jobId, upload, target);
      throw e;
    }
    metrics.outputUploaded(size);
    double seconds = (System.nanoTime() - started) / 1e9;
    log.info("job {}: uploaded {} bytes to {} in {} s", jobId, size, target, String.format("%.1f", seconds));
    return new UploadResult(size, seconds);
  }

  private void awaitCompletion(FileUpload upload, AtomicLong sent, PhaseProgress progress)
      throws ExecutionException, InterruptedException {
    long reported = 0;
    while (true) {
      try {
        upload.completionFuture().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException stillRunning) {
        gate.throwIfClosed();
        long now = sent.get();
        if (now > reported) {
          reported = now;
          progress.advanced(now, now);
        }
      }
    }
  }

  private void abortLeftoversQuietly(String jobId, S3Uri target) {
    try {
      abort.abortLeftovers(jobId, target);
    } catch (SdkException e) {
      log.warn("job {}: could not abort the failed upload to {} now ({}); the next upload to it will", jobId, target,
          e.getMessage());
    }
  }

  private void abortLeftovers(String jobId, S3Uri target) {
    try {
      abort.abortLeftovers(jobId, target);
    } catch (SdkException e) {
      throw S3Failures.forOutput(jobId, target, e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
