package dev.concat.app.it;

import java.time.Duration;
import java.util.function.Supplier;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Answers every GET only after a delay, so a test can kill a worker halfway through a download. */
final class DelayedGetsBlobStore extends ForwardingBlobStore {
  private final Supplier<Duration> delay;

  DelayedGetsBlobStore(BlobStore delegate, Supplier<Duration> delay) {
    super(delegate);
    this.delay = delay;
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    Duration wait = delay.get();
    if (!wait.isZero()) {
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while delaying a GET", e);
      }
    }
    return super.getBlob(request);
  }
}
