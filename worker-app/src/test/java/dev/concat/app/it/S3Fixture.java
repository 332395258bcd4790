package dev.concat.app.it;

import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import dev.concat.activities.testing.FaultInjectingBlobStore;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.app.embedded.EmbeddedS3Server;
import dev.concat.testkit.FreePorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API over HTTP in the test JVM (the activities' embedded S3Proxy), on a fixed port and
 * data directory so it can be stopped and started again where the workers expect it. GETs are
 * counted across restarts and can be slowed down.
 */
public final class S3Fixture implements AutoCloseable {
  public static final String BUCKET = S3TestServer.BUCKET;
  public static final String ACCESS_KEY = S3TestServer.ACCESS_KEY;
  public static final String SECRET_KEY = S3TestServer.SECRET_KEY;
  public static final String REGION = "us-east-1";

  private final Path dataDir;
  private final int port;
  private final S3Client s3;
  private volatile Duration getDelay = Duration.ZERO;
  private EmbeddedS3Server server;
  private FaultInjectingBlobStore store;
  private int getsBeforeRestart;

  private S3Fixture(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
    var settings = new S3Settings(endpoint().toString(), REGION, true, true);
    this.s3 =
        S3Clients.sync(
            settings,
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
  }

  /**
   * Starts a server on a free port of 127.0.0.1 storing under {@code dataDir}, with {@link
   * #BUCKET}.
   */
  public static S3Fixture start(Path dataDir) {
    var fixture = new S3Fixture(dataDir, FreePorts.pick());
    fixture.startServer();
    fixture.server.createBucket(BUCKET);
    return fixture;
  }

  private synchronized void startServer() {
    server =
        EmbeddedS3Server.start(
            dataDir,
            "127.0.0.1",
            port,
            ACCESS_KEY,
            SECRET_KEY,
            blobs ->
                store =
                    new FaultInjectingBlobStore(new DelayedGetsBlobStore(blobs, () -> getDelay)));
  }

  /** Stops answering: clients get connection refused until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      getsBeforeRestart += store.gets();
      server.stop();
      server = null;
    }
  }

  /** Starts again on the same port with the same objects. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public S3Client client() {
    return s3;
  }

  /** Injects faults into the running server (it is replaced by {@link #restart()}). */
  public synchronized FaultInjectingBlobStore faults() {
    return store;
  }

  /** GETs served or refused since the last {@link #resetCounts()}, across restarts. */
  public synchronized int gets() {
    return getsBeforeRestart + (server == null ? 0 : store.gets());
  }

  public synchronized void resetCounts() {
    getsBeforeRestart = 0;
    if (store != null) {
      store.reset();
    }
  }

  /** Every GET waits this long before it is answered. */
  public void delayGets(Duration delay) {
    getDelay = delay;
  }

  public String put(String key, Path file) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    return uri(key);
  }

  public static String uri(String key) {
    return "s3://" + BUCKET + "/" + key;
  }

  public boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The keys under {@code prefix} in the bucket. */
  public List<String> keysUnder(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  public Path download(String key, Path target) {
    target.toFile().delete();
    s3.getObject(b -> b.bucket(BUCKET).key(key), target);
    return target;
  }

  /** Multipart uploads begun and neither completed nor aborted: the parts a crash leaves behind. */
  public List<MultipartUpload> inProgressUploads() {
    return s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads();
  }

  @Override
  public void close() {
    s3.close();
    stop();
  }
}
