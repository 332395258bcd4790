package dev.concat.activities.storage;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An output's multipart upload whose parts the store already holds are copied server-side ({@code
 * UploadPartCopy}), the rest sent from the local file ({@link OutputParts}). A store that refuses a
 * copy (one without {@code UploadPartCopy}, or a policy that denies reading the source) gets that
 * part, and every later one, sent instead. Any failure aborts the multipart upload before it is
 * thrown, so no stored part outlives the attempt.
 */
final class PartCopyingUpload {
  private static final Logger log = LoggerFactory.getLogger(PartCopyingUpload.class);

  /** Parts in flight at once: copies are the store's work, sends the link's. */
  private static final int PARTS_AT_ONCE = 4;

  private static final long POLL_MILLIS = 250;

  /** S3 error codes that mean "no copy here", as opposed to a fault of the store. */
  private static final Set<String> COPY_REFUSED =
      Set.of("NotImplemented", "InvalidRequest", "InvalidArgument", "AccessDenied");

  private final S3Client s3;
  private final MultipartAbort abort;
  private final ShutdownGate gate;

  PartCopyingUpload(S3Client s3, MultipartAbort abort, ShutdownGate gate) {
    this.s3 = s3;
    this.abort = abort;
    this.gate = gate;
  }

  /**
   * Uploads {@code file} as {@code put}'s object.
   *
   * @throws ExecutionException a request failed (its cause), as a transfer manager's upload would
   * @throws InterruptedException the thread was interrupted
   */
  void send(OutputPut put, Path file, long size, List<CopySource> copies, PhaseProgress progress)
      throws ExecutionException, InterruptedException {
    List<OutputParts.Part> parts = OutputParts.plan(size, copies);
    String multipartId;
    try {
      multipartId = s3.createMultipartUpload(put.createRequest()).uploadId();
    } catch (SdkException e) {
      throw new ExecutionException(e);
    }
    var copied = new AtomicLong();
    var sent = new AtomicLong();
    var refused = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(PARTS_AT_ONCE, PartCopyingUpload::thread);
    boolean completed = false;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Future<CompletedPart>> pending = new ArrayList<>();
      for (OutputParts.Part part : parts) {
        pending.add(
            pool.submit(() -> upload(put, multipartId, part, channel, refused, copied, sent)));
      }
      // In part number order, as the parts were planned.
      s3.completeMultipartUpload(
          put.completeRequest(multipartId, await(pending, copied, sent, progress)));
      completed = true;
      log.info(
          "job {}: {} of {} bytes to {} copied by the store from staged chunks, {} sent, in {} parts",
          put.jobId(),
          copied.get(),
          size,
          put.target(),
          sent.get(),
          parts.size());
    } catch (SdkException e) {
      throw new ExecutionException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pool.shutdownNow();
      if (!completed) {
        abort.abort(put.jobId(), put.target(), multipartId);
      }
    }
  }

  /** Waits for every part, heartbeating as parts finish, and watching the gate and the cancel. */
  private List<CompletedPart> await(
      List<Future<CompletedPart>> pending,
      AtomicLong copied,
      AtomicLong sent,
      PhaseProgress progress)
      throws ExecutionException, InterruptedException {
    List<CompletedPart> done = new ArrayList<>();
    long reported = 0;
    for (Future<CompletedPart> part : pending) {
      CompletedPart completed = null;
      while (completed == null) {
        try {
          completed = part.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          gate.throwIfClosed();
          progress.throwIfStopped();
        }
        long now = copied.get() + sent.get();
        if (now > reported) {
          reported = now;
          progress.advanced(now, now);
        }
      }
      done.add(completed);
    }
    return done;
  }

  private CompletedPart upload(
      OutputPut put,
      String multipartId,
      OutputParts.Part part,
      FileChannel channel,
      AtomicBoolean refused,
      AtomicLong copied,
      AtomicLong sent)
      throws IOException {
    if (part instanceof OutputParts.Copied copy && !refused.get()) {
      try {
        String etag =
            s3.uploadPartCopy(
                    b ->
                        b.sourceBucket(copy.source().bucket())
                            .sourceKey(copy.source().key())
                            .copySourceRange(
                                "bytes="
                                    + copy.sourceStart()
                                    + "-"
                                    + (copy.sourceStart() + copy.length() - 1))
                            .destinationBucket(put.target().bucket())
                            .destinationKey(put.target().key())
                            .expectedBucketOwner(put.object().expectedBucketOwner())
                            .uploadId(multipartId)
                            .partNumber(copy.number()))
                .copyPartResult()
                .eTag();
        copied.addAndGet(copy.length());
        return CompletedPart.builder().partNumber(copy.number()).eTag(etag).build();
      } catch (S3Exception e) {
        if (!copyRefused(e)) {
          throw e;
        }
        if (refused.compareAndSet(false, true)) {
          log.warn(
              "job {}: the store refused to copy {} into {} (HTTP {} {}); sending those bytes"
                  + " instead",
              put.jobId(),
              copy.source(),
              put.target(),
              e.statusCode(),
              e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode());
        }
      }
    }
    byte[] bytes = read(channel, part.start(), part.length());
    String etag =
        s3.uploadPart(
                b ->
                    b.bucket(put.target().bucket())
                        .key(put.target().key())
                        .expectedBucketOwner(put.object().expectedBucketOwner())
                        .uploadId(multipartId)
                        .partNumber(part.number())
                        .contentLength(part.length()),
                RequestBody.fromBytes(bytes))
            .eTag();
    sent.addAndGet(part.length());
    return CompletedPart.builder().partNumber(part.number()).eTag(etag).build();
  }

  private static boolean copyRefused(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 501 || (code != null && COPY_REFUSED.contains(code));
  }

  private static byte[] read(FileChannel channel, long start, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, start + buffer.position()) < 0) {
        throw new IOException("the file ended before byte " + (start + length));
      }
    }
    return buffer.array();
  }

  private static Thread thread(Runnable runnable) {
    Thread thread = new Thread(runnable, "output-part");
    thread.setDaemon(true);
    return thread;
  }
}
