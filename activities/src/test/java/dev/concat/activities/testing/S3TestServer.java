package dev.concat.activities.testing;

import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * A JUnit 5 extension with a real S3 API over HTTP on 127.0.0.1 (a free port) and clients built by
 * {@link S3Clients}, as the worker builds them. Register it on a static field:
 * {@code @RegisterExtension static final S3TestServer s3 = new S3TestServer();}
 *
 * <p>It runs S3Proxy itself rather than worker-app's embedded S3 server: that server is part of the
 * dev stack, which this module cannot see, and the tests want the blob store in their hands.
 */
public final class S3TestServer implements S3Endpoint, BeforeAllCallback, AfterAllCallback {
  public static final String ACCESS_KEY = "concat-test";
  public static final String SECRET_KEY = "concat-test-secret";
  public static final String BUCKET = "media";

  private Path dataDir;
  private S3Proxy server;
  private URI endpoint;
  private FaultInjectingBlobStore store;
  private S3Client s3;
  private S3AsyncClient async;
  private S3TransferManager transfer;

  /** A server started now, for a test that manages its lifetime itself (closes it). */
  public static S3TestServer startNow() throws IOException {
    var server = new S3TestServer();
    server.beforeAll(null);
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("s3-test-");
    store = new FaultInjectingBlobStore(new FilesystemNio2BlobStore(dataDir.toString()));
    server =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            // The transfer manager's multipart upload sends headers S3Proxy does not know.
            .ignoreUnknownHeaders(true)
            .build();
    startServer();
    endpoint = URI.create("http://127.0.0.1:" + server.getPort());
    // Fewer tries than production's 8: a test that injects a 500 should not wait out 11-22 s of
    // backoff.
    var settings =
        new S3Settings(
            endpoint.toString(), "us-east-1", true, false, S3Settings.DEFAULT_IDLE_TIMEOUT, 3);
    var credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    s3 = S3Clients.sync(settings, credentials);
    async = S3Clients.async(settings, credentials);
    transfer = S3Clients.transferManager(async);
    store.createContainer(BUCKET);
  }

  private void startServer() throws IOException {
    try {
      server.start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (!"STARTED".equals(server.getState())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("S3Proxy still " + server.getState() + " after 10 s");
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IOException("S3Proxy did not start", e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
  }

  @Override
  public void close() {
    // Null checks: a failed beforeAll must not hide its cause behind a NullPointerException here.
    for (AutoCloseable resource : new AutoCloseable[] {transfer, async, s3, this::stopServer}) {
      if (resource != null) {
        try {
          resource.close();
        } catch (Exception e) {
          throw new IllegalStateException("could not close " + resource, e);
        }
      }
    }
    if (dataDir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dataDir = null;
  }

  private void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public String name() {
    return "s3proxy";
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public S3Client s3() {
    return s3;
  }

  @Override
  public S3TransferManager transferManager() {
    return transfer;
  }

  /** Counts GETs and injects faults; reset it at the start of a test that uses it. */
  public FaultInjectingBlobStore store() {
    return store;
  }

  /** Stores {@code file} at {@code key} in {@link #BUCKET} and returns its s3:// URI. */
  public String put(String key, Path file) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    return "s3://" + BUCKET + "/" + key;
  }

  public String put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    return "s3://" + BUCKET + "/" + key;
  }

  /** Downloads an object to {@code target}. */
  public Path get(String key, Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s3.getObject(b -> b.bucket(BUCKET).key(key), target);
    return target;
  }
}
