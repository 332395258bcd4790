package dev.concat.activities.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Sits behind the embedded server's real HTTP API and only counts GETs or injects the one fault a
 * test asks for: failing GETs or PUTs of chosen keys (the server answers 500), slow uploads, no
 * conditional writes, or no listings.
 */
public final class FaultInjectingBlobStore extends ForwardingBlobStore {
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicInteger heads = new AtomicInteger();
  private final AtomicInteger listings = new AtomicInteger();
  private final List<String> getRanges = new CopyOnWriteArrayList<>();
  private final List<String> getKeys = new CopyOnWriteArrayList<>();
  private final Set<String> failingKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> failingPutKeyParts = ConcurrentHashMap.newKeySet();
  private volatile long uploadBytesPerSecond;
  private volatile boolean refuseConditionalWrites;
  private volatile boolean refuseListings;
  private volatile boolean refusePartCopies;

  public FaultInjectingBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** GETs served or refused since the last {@link #reset()}. */
  public int gets() {
    return gets.get();
  }

  /** HEAD Object requests answered since the last {@link #reset()}. */
  public int heads() {
    return heads.get();
  }

  /** Object listings (pages) asked for since the last {@link #reset()}. */
  public int listings() {
    return listings.get();
  }

  /** Answers 403 AccessDenied to object listings, as a policy without s3:ListBucket does. */
  public void refuseListings() {
    refuseListings = true;
  }

  /**
   * The Range header of each GET since the last {@link #reset()}, {@code "whole"} for none: a
   * resumed GET shows here.
   */
  public List<String> getRanges() {
    return List.copyOf(getRanges);
  }

  /**
   * The key of each GET since the last {@link #reset()}: the server's own reads of a part copy's
   * source (this store has no copy of its own) show here too.
   */
  public List<String> getKeys() {
    return List.copyOf(getKeys);
  }

  /** Answers 501 NotImplemented to UploadPartCopy, as a store without server-side copies does. */
  public void refusePartCopies() {
    refusePartCopies = true;
  }

  public void failGetsOf(String key) {
    failingKeys.add(key);
  }

  /** Answers 500 to every PUT of a key that contains {@code keyPart}. */
  public void failPutsOf(String keyPart) {
    failingPutKeyParts.add(keyPart);
  }

  /** Reads upload bodies at this rate, so a test can act while an upload is in flight. */
  public void throttleUploads(long bytesPerSecond) {
    uploadBytesPerSecond = bytesPerSecond;
  }

  /**
   * Answers 501 NotImplemented to a PUT with {@code If-None-Match}, as a store without conditional
   * writes does.
   */
  public void refuseConditionalWrites() {
    refuseConditionalWrites = true;
  }

  public void reset() {
    gets.set(0);
    heads.set(0);
    listings.set(0);
    refuseListings = false;
    getRanges.clear();
    getKeys.clear();
    refusePartCopies = false;
    failingKeys.clear();
    failingPutKeyParts.clear();
    uploadBytesPerSecond = 0;
    refuseConditionalWrites = false;
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    gets.incrementAndGet();
    getRanges.add(request.range() == null ? "whole" : request.range());
    getKeys.add(request.key());
    if (failingKeys.contains(request.key())) {
      throw new RuntimeException("injected fault for " + request.key());
    }
    return super.getBlob(request);
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    heads.incrementAndGet();
    return super.blobMetadata(request);
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    listings.incrementAndGet();
    if (refuseListings) {
      throw refusal(403, "AccessDenied", "listing is not allowed");
    }
    return super.list(request);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
    if (failingPutKeyParts.stream().anyMatch(request.key()::contains)) {
      drain(body);
      throw new RuntimeException("injected fault for a PUT of " + request.key());
    }
    if (refuseConditionalWrites && request.ifNoneMatch() != null) {
      drain(body);
      throw refusal(501, "NotImplemented", "conditional writes are not implemented");
    }
    return super.putBlob(request, throttled(body));
  }

  @Override
  public boolean supportsCopyMultipartPart() {
    return refusePartCopies || super.supportsCopyMultipartPart();
  }

  @Override
  public UploadPartCopyResponse copyMultipartPart(
      MultipartUpload upload, UploadPartCopyRequest request) {
    if (refusePartCopies) {
      throw refusal(501, "NotImplemented", "part copies are not implemented");
    }
    return super.copyMultipartPart(upload, request);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream body) {
    return super.uploadMultipartPart(upload, request, throttled(body));
  }

  /** An answer the server sends as it is: {@code status} with S3's error {@code code}. */
  private static S3Exception refusal(int status, String code, String message) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .message(message)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }

  /**
   * Reads the body a store refuses, so the client gets the answer instead of a closed connection.
   */
  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private InputStream throttled(InputStream body) {
    long rate = uploadBytesPerSecond;
    if (rate <= 0) {
      return body;
    }
    return new FilterInputStream(body) {
      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, Math.min(length, 64 * 1024));
        if (n > 0) {
          try {
            Thread.sleep(n * 1000L / rate);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }
        return n;
      }
    };
  }
}
