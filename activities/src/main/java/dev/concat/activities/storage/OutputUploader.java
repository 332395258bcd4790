package dev.concat.activities.storage;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.OutputObject;
import dev.concat.contract.UploadResult;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.FileUpload;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;
import software.amazon.awssdk.transfer.s3.progress.TransferListener;

/**
 * The upload phase: sends the joined file with the transfer manager, which switches to a multipart
 * upload above its threshold. The object carries concat's mark (job id and upload id), so the key
 * is only written when it is free, this job's own, or the request allows an overwrite; an upload
 * that fails or is stopped is checked against the store ({@link FailedUploadCheck}) before the job
 * is told.
 */
public final class OutputUploader {
  private static final Logger log = LoggerFactory.getLogger(OutputUploader.class);

  /** How often the waiting activity thread looks at the byte count and the shutdown gate. */
  private static final long POLL_MILLIS = 250;

  private final S3TransferManager transfer;
  private final MultipartAbort abort;
  private final PartCopyingUpload partCopies;
  private final OutputGuard guard;
  private final FailedUploadCheck failedUpload;
  private final ShutdownGate gate;
  private final JobMetrics metrics;

  public OutputUploader(
      S3TransferManager transfer, S3Client s3, ShutdownGate gate, JobMetrics metrics) {
    this.transfer = transfer;
    this.abort = new MultipartAbort(s3);
    this.partCopies = new PartCopyingUpload(s3, abort, gate);
    this.guard = new OutputGuard(s3);
    this.failedUpload = new FailedUploadCheck(s3, guard);
    this.gate = gate;
    this.metrics = metrics;
  }

  /**
   * @param copies ranges of the file the store holds already (a spread encode's staged runs): they
   *     are copied server-side rather than sent
   */
  public UploadResult upload(
      String jobId,
      Path file,
      S3Uri target,
      OutputFormat format,
      boolean overwrite,
      OutputObject object,
      List<CopySource> copies,
      PhaseProgress progress) {
    long started = System.nanoTime();
    long size = sizeOf(file);
    abortPending(jobId, target);
    OutputGuard.Found before = guard.requireWritable(jobId, target, overwrite);
    boolean ifAbsent =
        !overwrite
            && (before.holder() == OutputGuard.Holder.NOBODY
                || before.holder() == OutputGuard.Holder.UNKNOWN);
    var put = new OutputPut(jobId, target, format, object, UUID.randomUUID().toString(), ifAbsent);
    try {
      send(put, file, size, copies, progress);
    } catch (ExecutionException e) {
      if (ifAbsent && status(e) == 501) {
        log.warn(
            "job {}: the store does not support conditional writes (If-None-Match); {} was checked free "
                + "just before, writing it without the condition",
            jobId,
            target);
        sendOrFail(put.unconditional(), file, size, copies, progress);
      } else {
        failedUpload.afterFailure(put, size, e);
      }
    }
    metrics.outputUploaded(size);
    double seconds = (System.nanoTime() - started) / 1e9;
    log.info(
        "job {}: uploaded {} bytes to {} in {} s",
        jobId,
        size,
        target,
        String.format("%.1f", seconds));
    return new UploadResult(size, seconds);
  }

  private void sendOrFail(
      OutputPut put, Path file, long size, List<CopySource> copies, PhaseProgress progress) {
    try {
      send(put, file, size, copies, progress);
    } catch (ExecutionException e) {
      failedUpload.afterFailure(put, size, e);
    }
  }

  private void send(
      OutputPut put, Path file, long size, List<CopySource> copies, PhaseProgress progress)
      throws ExecutionException {
    if (!copies.isEmpty()) {
      sendCopying(put, file, size, copies, progress);
      return;
    }
    var sent = new AtomicLong();
    FileUpload upload =
        transfer.uploadFile(
            UploadFileRequest.builder()
                .putObjectRequest(put.request())
                .source(file)
                .addTransferListener(
                    new TransferListener() {
                      @Override
                      public void bytesTransferred(Context.BytesTransferred context) {
                        sent.set(context.progressSnapshot().transferredBytes());
                      }
                    })
                .build());
    try {
      awaitCompletion(upload, sent, progress);
    } catch (ExecutionException e) {
      // The SDK aborts a failed multipart upload itself, but not when the store is unreachable.
      abort.stop(put.jobId(), upload, put.target());
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort.stop(put.jobId(), upload, put.target());
      failedUpload.afterStop(put);
      throw new RuntimeException(
          FailureSubject.job(put.jobId()).describe("upload to " + put.target() + " interrupted"),
          e);
    } catch (RuntimeException e) {
      // Cancelled, timed out or shutting down.
      abort.stop(put.jobId(), upload, put.target());
      failedUpload.afterStop(put);
      throw e;
    }
  }

  /** As {@link #send}, with the parts the store holds copied server-side. */
  private void sendCopying(
      OutputPut put, Path file, long size, List<CopySource> copies, PhaseProgress progress)
      throws ExecutionException {
    try {
      partCopies.send(put, file, size, copies, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failedUpload.afterStop(put);
      throw new RuntimeException(
          FailureSubject.job(put.jobId()).describe("upload to " + put.target() + " interrupted"),
          e);
    } catch (RuntimeException e) {
      // Cancelled, timed out or shutting down.
      failedUpload.afterStop(put);
      throw e;
    }
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
        // A cancel must stop the upload even while no byte moves (the store assembling the parts).
        progress.throwIfStopped();
        long now = sent.get();
        if (now > reported) {
          reported = now;
          progress.advanced(now, now);
        }
      }
    }
  }

  private void abortPending(String jobId, S3Uri target) {
    try {
      abort.abortPending(jobId, target);
    } catch (SdkException e) {
      throw S3Failures.forOutput(jobId, target, e);
    }
  }

  static int status(Throwable error) {
    return S3Failures.unwrap(error) instanceof S3Exception s3 ? s3.statusCode() : 0;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
