package dev.concat.app.embedded;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * temporal-testing's in-memory Temporal service, served over gRPC on one local address.
 *
 * <p>{@code TestServer.createPortBoundServer} binds every interface, so this builds the gRPC server
 * itself on the given address around the same services; those classes are internal to
 * temporal-testing, which is why this class exists and stays this small.
 */
public final class LocalTemporalServer implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;
  private final String host;

  private LocalTemporalServer(TestServicesStarter services, Server server, String host) {
    this.services = services;
    this.server = server;
    this.host = host;
  }

  /** Starts serving on {@code host:port}; port 0 picks a free one. Time runs in real time. */
  public static LocalTemporalServer start(String host, int port) {
    // lockTimeSkipping=true: the server's clock follows the wall clock, like a real Temporal.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
    GRPCServerHelper.registerServicesAndHealthChecks(
        services.getServices(), builder, List.of(new StickyQueueStripper()));
    try {
      return new LocalTemporalServer(services, builder.build().start(), host);
    } catch (IOException e) {
      services.close();
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new IllegalStateException(
            "cannot serve Temporal on "
                + host
                + ":"
                + port
                + ": the port is in use (is `concat dev` already running?); choose another with --temporal-port",
            e);
      }
      throw new IllegalStateException(
          "cannot start the embedded Temporal server on " + host + ":" + port, e);
    }
  }

  /** {@code host:port} for clients and workers. */
  public String address() {
    return host + ":" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
