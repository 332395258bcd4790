package dev.concat.activities.testing;

import dev.concat.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * An S3 implementation this project does not embed, run as its own process on a free port of
 * 127.0.0.1: moto's standalone server or MinIO, with clients built as the worker builds them.
 * Without the program the calling test is skipped, or fails when {@code CI} is set: a CI run must
 * not pass by testing nothing.
 */
public final class ExternalS3Server implements S3Endpoint {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  /** The servers, how to find them and how to start them. */
  public enum Kind {
    /** PyPI {@code moto[server]}; accepts any key pair. */
    MOTO("moto_server", "pip install 'moto[server]'"),
    /** Built from source: {@code go install github.com/minio/minio@<version>} (see .ci/run). */
    MINIO("minio", "go install github.com/minio/minio@latest (puts it in ~/go/bin)");

    final String program;
    final String installHint;

    Kind(String program, String installHint) {
      this.program = program;
      this.installHint = installHint;
    }
  }

  private final Kind kind;
  private final Process process;
  private final Path dataDir;
  private final URI endpoint;
  private final S3ClientSet clients;

  private ExternalS3Server(Kind kind, Process process, Path dataDir, URI endpoint) {
    this.kind = kind;
    this.process = process;
    this.dataDir = dataDir;
    this.endpoint = endpoint;
    this.clients = S3ClientSet.at(kind.name().toLowerCase(), endpoint);
  }

  /** Starts the server, waits until it answers, and creates {@link S3TestServer#BUCKET}. */
  public static ExternalS3Server start(Kind kind) {
    Path binary = require(kind);
    // Two distinct ports: MinIO's console needs one of its own.
    List<Integer> ports = FreePorts.pick(2);
    int port = ports.get(0);
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("s3-" + kind.name().toLowerCase() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        switch (kind) {
          case MOTO -> List.of(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port));
          case MINIO ->
              List.of(
                  binary.toString(),
                  "server",
                  "--quiet",
                  "--address",
                  "127.0.0.1:" + port,
                  "--console-address",
                  "127.0.0.1:" + ports.get(1),
                  dataDir.resolve("data").toString());
        };
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("server.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("MINIO_ROOT_USER", S3TestServer.ACCESS_KEY);
    env.put("MINIO_ROOT_PASSWORD", S3TestServer.SECRET_KEY);
    // MinIO keeps SSE-S3 keys in a KMS; a static key is its documented single-node setup.
    env.put(
        "MINIO_KMS_SECRET_KEY",
        "concat-test-key:" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    env.put("MINIO_BROWSER", "off");
    env.put("MINIO_UPDATE", "off");
    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    var server =
        new ExternalS3Server(kind, process, dataDir, URI.create("http://127.0.0.1:" + port));
    try {
      server.awaitReady(port);
      server.s3().createBucket(b -> b.bucket(S3TestServer.BUCKET));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Whether the program is installed (on the PATH or in ~/go/bin). */
  public static Optional<Path> binary(Kind kind) {
    List<String> dirs =
        new ArrayList<>(
            Arrays.asList(String.valueOf(System.getenv("PATH")).split(File.pathSeparator)));
    dirs.add(System.getProperty("user.home") + "/go/bin");
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, kind.program))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  private static Path require(Kind kind) {
    Optional<Path> binary = binary(kind);
    if (binary.isPresent()) {
      return binary.get();
    }
    String message =
        kind.program
            + " is not installed, so the S3 compatibility tests against it cannot run. "
            + kind.installHint
            + ".";
    throw MissingPrerequisite.skipOrFail(message, null);
  }

  private void awaitReady(int port) {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " exited " + process.exitValue() + ": " + log());
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        s3().listBuckets();
        return;
      } catch (IOException | RuntimeException e) {
        last = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        kind + " did not answer within " + READY_LIMIT.toSeconds() + " s: " + log(), last);
  }

  private String log() {
    try {
      return Files.readString(dataDir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String name() {
    return kind.name().toLowerCase();
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public S3Client s3() {
    return clients.s3();
  }

  @Override
  public S3TransferManager transferManager() {
    return clients.transferManager();
  }

  @Override
  public void close() {
    clients.close();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
