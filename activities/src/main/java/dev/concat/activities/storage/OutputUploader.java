package dev.concat.activities.storage;

import dev.concat.activities.OutputFormat;
import dev.concat.activities.OutputObject;
import dev.concat.activities.S3Uri;
import dev.concat.activities.UploadResult;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The upload phase: sends the joined file with the transfer manager, which switches to a
 * multipart upload above its threshold. The object carries concat's mark (job id and upload id),
 * so the key is only written when it is free, this job's own, or the request allows an
 * overwrite; and an upload that reports a failure is checked against the store before the job is
 * told: an object this upload stored whole counts as done, anything else it left is removed.
 */
public final class OutputUploader {
  private static final Logger log = LoggerFactory.getLogger(OutputUploader.class);
  /** How often the waiting activity thread looks at the byte count and the shutdown gate. */
  private static final long POLL_MILLIS = 250;
  /** A request the client gave up on lands within this, or not at all (loopback to a WAN store alike). */
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private final S3TransferManager transfer;
  private final MultipartAbort abort;
  private final OutputGuard guard;
  private final S3Client s3;
  private final ShutdownGate gate;
  private final JobMetrics metrics;

  public OutputUploader(S3TransferManager transfer, S3Client s3, ShutdownGate gate, JobMetrics metrics) {
    this.transfer = transfer;
    this.s3 = s3;
    this.abort = new MultipartAbort(s3);
    this.guard = new OutputGuard(s3);
    this.gate = gate;
    this.metrics = metrics;
  }

  public UploadResult upload(String jobId, Path file, S3Uri target, OutputFormat format, boolean overwrite,
      OutputObject object, PhaseProgress progress) {
    long started = System.nanoTime();
    long size = sizeOf(file);
    abortPending(jobId, target);
    OutputGuard.Found before = guard.requireWritable(jobId, target, overwrite);
    boolean ifAbsent = !overwrite && (before.holder() == OutputGuard.Holder.NOBODY
        || before.holder() == OutputGuard.Holder.UNKNOWN);
    var put = new OutputPut(jobId, target, format, object, UUID.randomUUID().toString(), ifAbsent);
    try {
      send(put, file, size, progress);
    } catch (ExecutionException e) {
      if (ifAbsent && status(e) == 501) {
        log.warn("job {}: the store does not support conditional writes (If-None-Match); {} was checked free "
            + "just before, writing it without the condition", jobId, target);
        sendOrFail(put.unconditional(), file, size, progress);
      } else {
        fail(put, size, e);
      }
    }
    metrics.outputUploaded(size);
    double seconds = (System.nanoTime() - started) / 1e9;
    log.info("job {}: uploaded {} bytes to {} in {} s", jobId, size, target, String.format("%.1f", seconds));
    return new UploadResult(size, seconds);
  }

  private void sendOrFail(OutputPut put, Path file, long size, PhaseProgress progress) {
    try {
      send(put, file, size, progress);
    } catch (ExecutionException e) {
      fail(put, size, e);
    }
  }

  private void send(OutputPut put, Path file, long size, PhaseProgress progress) throws ExecutionException {
    var sent = new AtomicLong();
    FileUpload upload = transfer.uploadFile(UploadFileRequest.builder()
        .putObjectRequest(put.request())
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
      // The SDK aborts a failed multipart upload itself, but not when the store is unreachable.
      abort.stop(put.jobId(), upload, put.target());
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped(put, upload);
      throw new RuntimeException("job " + put.jobId() + ": upload to " + put.target() + " interrupted", e);
    } catch (RuntimeException e) {
      // Cancelled, timed out or shutting down.
      stopped(put, upload);
      throw e;
    }
  }

  /** A stopped job leaves neither parts nor an object its upload completed in the meantime. */
  private void stopped(OutputPut put, FileUpload upload) {
    abort.stop(put.jobId(), upload, put.target());
    try {
      OutputGuard.Found now = guard.inspect(put.jobId(), put.target());
      if (put.uploadId().equals(now.uploadId())) {
        delete(put, "the job was stopped");
      }
    } catch (RuntimeException e) {
      log.warn("job {}: could not check {} after stopping its upload: {}", put.jobId(), put.target(), e.toString());
    }
  }

  /**
   * The upload reported a failure; what the store holds decides the outcome. Returns normally
   * when this upload's object is there whole (the failure was in the answer, not the write).
   */
  private void fail(OutputPut put, long size, ExecutionException error) {
    OutputGuard.Found now;
    try {
      now = settled(put, error);
    } catch (RuntimeException unreachable) {
      throw S3Failures.forOutput(put.jobId(), put.target(), error);
    }
    if (put.uploadId().equals(now.uploadId())) {
      if (now.head().contentLength() == size) {
        log.warn("job {}: the upload to {} reported a failure ({}) but the store holds its object whole; "
            + "counted done", put.jobId(), put.target(), S3Failures.unwrap(error).getMessage());
        return;
      }
      delete(put, "it is incomplete (" + now.head().contentLength() + " of " + size + " bytes)");
    }
    if (status(error) == 412) {
      throw OutputGuard.exists(put.jobId(), put.target(), now);
    }
    throw S3Failures.forOutput(put.jobId(), put.target(), error);
  }

  /**
   * What the key holds once the failed request has had time to land: a failure without a real
   * answer (a 1xx status, a broken connection) may come while the store is still taking the body
   * it will keep.
   */
  private OutputGuard.Found settled(OutputPut put, ExecutionException error) {
    OutputGuard.Found now = guard.inspect(put.jobId(), put.target());
    int status = status(error);
    boolean answered = status >= 200;
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!answered && !put.uploadId().equals(now.uploadId()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = guard.inspect(put.jobId(), put.target());
    }
    return now;
  }

  private void delete(OutputPut put, String why) {
    try {
      s3.deleteObject(b -> b.bucket(put.target().bucket()).key(put.target().key()));
      log.warn("job {}: deleted the object its upload left at {} because {}", put.jobId(), put.target(), why);
    } catch (SdkException e) {
      log.warn("job {}: could not delete the object its upload left at {} ({}): {}", put.jobId(), put.target(), why,
          e.getMessage());
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

  private static int status(Throwable error) {
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
