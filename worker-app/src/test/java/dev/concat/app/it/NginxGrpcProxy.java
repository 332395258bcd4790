package dev.concat.app.it;

import dev.concat.activities.testing.MissingPrerequisite;
import dev.concat.testkit.Executables;
import dev.concat.testkit.FreePorts;
import dev.concat.testkit.ProcessTrees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Debian's nginx terminating TLS in front of a Temporal frontend, as a secured cluster or Temporal
 * Cloud does: one port that requires a client certificate signed by the test CA (mTLS), and one
 * that requires {@code authorization: Bearer <key>} (an API key) and answers 401 without it.
 */
final class NginxGrpcProxy implements AutoCloseable {
  private static final Duration READY_LIMIT = Duration.ofSeconds(15);

  private final Process process;
  private final int mtlsPort;
  private final int apiKeyPort;
  private final Path dir;

  private NginxGrpcProxy(Process process, int mtlsPort, int apiKeyPort, Path dir) {
    this.process = process;
    this.mtlsPort = mtlsPort;
    this.apiKeyPort = apiKeyPort;
    this.dir = dir;
  }

  /**
   * Without nginx the calling test is skipped, or fails when {@code CI} is set, as for the Temporal
   * dev server: a CI run must not pass by testing nothing.
   */
  static NginxGrpcProxy start(
      Path dir, String temporalAddress, TestCertificates certs, String apiKey) throws IOException {
    Path nginx = binary();
    Files.createDirectories(dir.resolve("temp"));
    List<Integer> ports = FreePorts.pick(2);
    Path config =
        Files.writeString(
            dir.resolve("nginx.conf"),
            config(dir, temporalAddress, certs, apiKey, ports.get(0), ports.get(1)));
    Process process =
        new ProcessBuilder(
                Executables.diesWithStartingThread(
                    List.of(
                        nginx.toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        config.toString(),
                        "-e",
                        dir.resolve("error.log").toString())))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    process.getOutputStream().close();
    var proxy = new NginxGrpcProxy(process, ports.get(0), ports.get(1), dir);
    try {
      proxy.awaitListening();
    } catch (RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  private static Path binary() {
    Optional<Path> nginx =
        Executables.onPath("nginx")
            .or(() -> Optional.of(Path.of("/usr/sbin/nginx")).filter(Files::isExecutable));
    if (nginx.isPresent()) {
      return nginx.get();
    }
    String message =
        "nginx is not installed, so the tests against a secured Temporal endpoint cannot run "
            + "(apt-get install nginx; .ci/run does).";
    throw MissingPrerequisite.skipOrFail(message, null);
  }

  private static String config(
      Path dir,
      String temporalAddress,
      TestCertificates certs,
      String apiKey,
      int mtlsPort,
      int apiKeyPort) {
    Path temp = dir.resolve("temp");
    return """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 512; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %2$s/body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
          client_max_body_size 64m;
          # Temporal's long polls last up to 70 s.
          grpc_read_timeout 300s;
          grpc_send_timeout 300s;
          ssl_certificate %3$s;
          ssl_certificate_key %4$s;
          server {
            listen 127.0.0.1:%6$d ssl http2;
            ssl_client_certificate %5$s;
            ssl_verify_client on;
            location / { grpc_pass grpc://%7$s; }
          }
          server {
            listen 127.0.0.1:%8$d ssl http2;
            location / {
              if ($http_authorization != "Bearer %9$s") { return 401; }
              grpc_pass grpc://%7$s;
            }
          }
        }
        """
        .formatted(
            dir,
            temp,
            certs.serverCert(),
            certs.serverKey(),
            certs.caCert(),
            mtlsPort,
            temporalAddress,
            apiKeyPort,
            apiKey);
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nginx exited " + process.exitValue() + ": " + text("nginx.out") + text("error.log"));
      }
      if (accepts(mtlsPort) && accepts(apiKeyPort)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "nginx did not listen within " + READY_LIMIT.toSeconds() + " s: " + text("error.log"));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String text(String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  /** {@code 127.0.0.1:port} of the listener that requires a client certificate. */
  String mtlsAddress() {
    return "127.0.0.1:" + mtlsPort;
  }

  /** {@code 127.0.0.1:port} of the listener that requires the API key. */
  String apiKeyAddress() {
    return "127.0.0.1:" + apiKeyPort;
  }

  /** nginx's master and worker: SIGTERM, then SIGKILL for what is left after 5 s. */
  @Override
  public void close() {
    ProcessTrees.terminate(process, Duration.ofSeconds(5));
  }
}
