package dev.concat.app.embedded;

import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 API over HTTP, in this process, storing objects as files under a directory: dev mode
 * and tests talk to it exactly as they would to S3 or MinIO. Built on S3Proxy, an optional
 * dependency of this module: whoever calls this class must have it on the classpath.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private static final long START_TIMEOUT_MILLIS = 10_000;

  private final S3Proxy proxy;
  private final BlobStore store;
  private final URI endpoint;

  private EmbeddedS3Server(S3Proxy proxy, BlobStore store, URI endpoint) {
    this.proxy = proxy;
    this.store = store;
    this.endpoint = endpoint;
  }

  /**
   * Starts a server on {@code host:port} (port 0 picks a free one) that accepts requests signed
   * with the given key pair.
   */
  public static EmbeddedS3Server start(
      Path dataDir, String host, int port, String accessKey, String secretKey) {
    return start(dataDir, host, port, accessKey, secretKey, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, String, int, String, String)}, with the blob store wrapped by {@code
   * decorator}: tests use it to count requests or inject faults behind the real HTTP API.
   */
  public static EmbeddedS3Server start(
      Path dataDir,
      String host,
      int port,
      String accessKey,
      String secretKey,
      UnaryOperator<BlobStore> decorator) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    BlobStore store =
        decorator.apply(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()));
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + host + ":" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            // The transfer manager's multipart upload sends headers S3Proxy does not know.
            .ignoreUnknownHeaders(true)
            .build();
    try {
      proxy.start();
      awaitStarted(proxy);
    } catch (Exception e) {
      var failure =
          new IllegalStateException("embedded S3 server did not start on " + host + ":" + port, e);
      try {
        proxy.stop();
      } catch (Exception stopFailure) {
        failure.addSuppressed(stopFailure);
      }
      throw failure;
    }
    return new EmbeddedS3Server(proxy, store, URI.create("http://" + host + ":" + proxy.getPort()));
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "state " + proxy.getState() + " after " + START_TIMEOUT_MILLIS + " ms");
      }
      Thread.sleep(10);
    }
  }

  /** The address clients use, with the real port when 0 was asked for. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Creates a bucket. A name S3 would refuse throws here: S3Proxy's store would create it, but its
   * HTTP API then answers NoSuchBucket for it (for example for names under 3 characters).
   */
  public void createBucket(String name) {
    S3Uri.problem("s3://" + name + "/key")
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("bucket '" + name + "': " + problem);
            });
    store.createContainer(name);
  }

  public void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 server did not stop", e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
