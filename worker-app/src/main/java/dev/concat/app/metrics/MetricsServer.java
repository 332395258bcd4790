package dev.concat.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The worker's HTTP port for operators: {@code /metrics} in Prometheus' text format, and
 * {@code /health/live} and {@code /health/ready}, each 200 or 503 with a one-word body.
 */
public final class MetricsServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final Supplier<String> metrics;
  private final BooleanSupplier ready;

  private MetricsServer(HttpServer server, Supplier<String> metrics, BooleanSupplier ready) {
    this.server = server;
    this.metrics = metrics;
    this.ready = ready;
  }

  /**
   * Serves on {@code address} until closed.
   *
   * @param metrics the scrape, in Prometheus' text format
   * @param ready whether the worker takes work now
   */
  public static MetricsServer start(InetSocketAddress address, Supplier<String> metrics, BooleanSupplier ready) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health on " + address
          + " (set CONCAT_METRICS_PORT or --metrics-port to a free port, or 0 for none)", e);
    }
    var endpoints = new MetricsServer(server, metrics, ready);
    // One context for all paths: a context matches by prefix, and only these exact paths exist.
    server.createContext("/", endpoints::handle);
    server.start();
    return endpoints;
  }

  /** {@code http://host:port}, with the port bound (the one the system chose when 0 was asked). */
  public String url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        respond(exchange, 405, "text/plain", "GET or HEAD\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.get());
        case "/health/live" -> health(exchange, isLive(), "live");
        case "/health/ready" -> health(exchange, ready.getAsBoolean(), "ready");
        default -> respond(exchange, 404, "text/plain", "/metrics, /health/live or /health/ready\n");
      }
    }
  }

  /**
   * A JVM that still answers here is wedged when threads deadlocked; a worse state leaves the
   * request unanswered, which a probe counts as a failure as well.
   */
  private static boolean isLive() {
    return ManagementFactory.getThreadMXBean().findDeadlockedThreads() == null;
  }

  private static void health(HttpExchange exchange, boolean ok, String what) throws IOException {
    respond(exchange, ok ? 200 : 503, "text/plain", (ok ? what : "not " + what) + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
