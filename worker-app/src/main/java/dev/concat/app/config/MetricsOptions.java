package dev.concat.app.config;

import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a worker serves its metrics and health endpoints. */
public final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9464",
      description =
          "Port of the worker's HTTP endpoints /metrics (Prometheus), /health/live and /health/ready; "
              + "0 serves none. Env CONCAT_METRICS_PORT; default: ${DEFAULT-VALUE}.")
  private int port;

  @Option(
      names = "--metrics-host",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description =
          "Address those endpoints listen on; 0.0.0.0 is every interface (for containers), 127.0.0.1 "
              + "this machine only. Env CONCAT_METRICS_HOST; default: ${DEFAULT-VALUE}.")
  private String host;

  /** The address to listen on, or empty when the port is 0. */
  public Optional<InetSocketAddress> endpoint() {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          "--metrics-port (CONCAT_METRICS_PORT) must be a port number, or 0 for no endpoint, not "
              + port);
    }
    return port == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(host, port));
  }
}
