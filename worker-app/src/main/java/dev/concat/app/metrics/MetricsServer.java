package dev.concat.app.metrics;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The worker's HTTP port for operators: {@code /metrics} in Prometheus' text format, and {@code
 * /health/live} and {@code /health/ready}, each 200 or 503 with a one-word body.
 *
 * <p>Jetty serves it, on threads of its own: it reads requests without blocking, so a client that
 * connects and sends nothing (or half a request) holds no thread and stalls no one, and its
 * connection is closed after {@link #IDLE_TIMEOUT_MILLIS}. (The JDK's HttpServer read each new
 * connection on its only dispatcher thread, so one idle connection stalled every probe.)
 */
public final class MetricsServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Far above a scrape's few milliseconds, far below a probe's usual 5 to 10 s period. */
  static final long IDLE_TIMEOUT_MILLIS = 5_000;

  /**
   * Scrapes and probes are few and quick; Jetty needs a few of these for accepting and selecting.
   */
  private static final int MAX_THREADS = 8;

  private final Server server;
  private final ServerConnector connector;
  private final Supplier<String> metrics;
  private final BooleanSupplier ready;

  private MetricsServer(
      Server server, ServerConnector connector, Supplier<String> metrics, BooleanSupplier ready) {
    this.server = server;
    this.connector = connector;
    this.metrics = metrics;
    this.ready = ready;
  }

  /**
   * Serves on {@code address} until closed.
   *
   * @param metrics the scrape, in Prometheus' text format
   * @param ready whether the worker takes work now
   */
  public static MetricsServer start(
      InetSocketAddress address, Supplier<String> metrics, BooleanSupplier ready) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("concat-metrics");
    threads.setDaemon(true);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    server.addConnector(connector);
    var endpoints = new MetricsServer(server, connector, metrics, ready);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            endpoints.handle(request, response, callback);
            return true;
          }
        });
    try {
      server.start();
    } catch (Exception e) {
      endpoints.close();
      throw new IllegalStateException(
          "cannot serve metrics and health on "
              + address
              + " (set CONCAT_METRICS_PORT or --metrics-port to a free port, or 0 for none)",
          e);
    }
    return endpoints;
  }

  /** {@code http://host:port}, with the port bound (the one the system chose when 0 was asked). */
  public String url() {
    String host = connector.getHost();
    return "http://"
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + connector.getLocalPort();
  }

  private void handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      respond(request, response, callback, 405, "text/plain", "GET or HEAD\n");
      return;
    }
    switch (request.getHttpURI().getPath()) {
      case "/metrics" -> respond(request, response, callback, 200, PROMETHEUS_TEXT, metrics.get());
      case "/health/live" -> health(request, response, callback, isLive(), "live");
      case "/health/ready" -> health(request, response, callback, ready.getAsBoolean(), "ready");
      default ->
          respond(
              request,
              response,
              callback,
              404,
              "text/plain",
              "/metrics, /health/live or /health/ready\n");
    }
  }

  /**
   * A JVM that still answers here is wedged when threads deadlocked; a worse state leaves the
   * request unanswered, which a probe counts as a failure as well.
   */
  private static boolean isLive() {
    return ManagementFactory.getThreadMXBean().findDeadlockedThreads() == null;
  }

  private static void health(
      Request request, Response response, Callback callback, boolean ok, String what) {
    respond(
        request,
        response,
        callback,
        ok ? 200 : 503,
        "text/plain",
        (ok ? what : "not " + what) + "\n");
  }

  private static void respond(
      Request request,
      Response response,
      Callback callback,
      int status,
      String contentType,
      String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the metrics server", e);
    }
  }
}
