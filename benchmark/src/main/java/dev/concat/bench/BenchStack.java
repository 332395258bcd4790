package dev.concat.bench;

import dev.concat.app.embedded.EmbeddedS3Server;
import dev.concat.app.embedded.LocalTemporalServer;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.app.temporal.TemporalClientConfig;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.contract.rules.S3Uri;
import dev.concat.testkit.TemporalDevServer;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The one S3 server both ways use (S3Proxy over HTTP on 127.0.0.1, in this JVM), Temporal (the real
 * dev server when the {@code temporal} CLI is there, else the in-process test server), and a client
 * of each.
 */
final class BenchStack implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final String BUCKET = "bench";

  /** Where the benchmark's workers let jobs read and write. */
  static final String LOCATIONS = "s3://" + BUCKET + "/";

  private final List<AutoCloseable> started = new ArrayList<>();
  private EmbeddedS3Server s3Server;
  private SharedS3Clients s3;
  private TemporalConnection temporal;
  private String temporalDescription;

  private BenchStack() {}

  /**
   * @param s3Dir where the S3 server keeps its objects
   * @param temporalBinary the {@code temporal} CLI, or empty for the in-process server
   */
  static BenchStack start(
      Path s3Dir, Path logDir, Optional<Path> temporalBinary, String temporalVersion) {
    var stack = new BenchStack();
    try {
      stack.s3Server =
          EmbeddedS3Server.start(
              s3Dir, HOST, 0, S3Connection.DEV_ACCESS_KEY, S3Connection.DEV_SECRET_KEY);
      stack.started.add(stack.s3Server);
      stack.s3Server.createBucket(BUCKET);
      stack.s3 = SharedS3Clients.open(S3Connection.dev(stack.s3Server.endpoint()));
      stack.started.add(stack.s3);
      String address;
      if (temporalBinary.isPresent()) {
        var dev = TemporalDevServer.start(temporalBinary.get(), logDir.resolve("temporal.log"));
        stack.started.add(dev);
        address = dev.address();
        stack.temporalDescription =
            "`temporal server start-dev` ("
                + temporalVersion
                + "), a separate process, "
                + "in memory";
      } else {
        var local = LocalTemporalServer.start(HOST, 0);
        stack.started.add(local);
        address = local.address();
        stack.temporalDescription =
            "the in-process Temporal test server (temporal-testing), in the benchmark's JVM";
      }
      stack.temporal = TemporalConnection.connect(TemporalClientConfig.plaintext(address));
      stack.started.add(stack.temporal);
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  /** Puts the set's segments in the bucket (untimed); returns their S3 URIs in order. */
  List<String> stage(DataSet set) {
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < set.segments(); i++) {
      Path file = set.files().get(i);
      String name = file.getFileName().toString();
      String key =
          String.format(
              Locale.ROOT, "sets/%s/%04d%s", set.name(), i, name.substring(name.lastIndexOf('.')));
      s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
      uris.add("s3://" + BUCKET + "/" + key);
    }
    return uris;
  }

  void delete(S3Uri object) {
    s3.client().deleteObject(b -> b.bucket(object.bucket()).key(object.key()));
  }

  URI s3Endpoint() {
    return s3Server.endpoint();
  }

  SharedS3Clients s3() {
    return s3;
  }

  String temporalAddress() {
    return temporal.address();
  }

  WorkflowClient client() {
    return temporal.client();
  }

  String temporalDescription() {
    return temporalDescription;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("bench: stopping " + started.get(i) + ": " + e);
      }
    }
    started.clear();
  }
}
