package dev.concat.app.temporal;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A checked connection to a Temporal frontend and a client for one namespace. */
public final class TemporalConnection implements AutoCloseable {
  /** Long enough for a server that is starting, short enough that a wrong address is reported promptly. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** A status query is answered from a worker's memory; beyond this no worker is listening. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final String address;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  private TemporalConnection(String address, WorkflowServiceStubs service, WorkflowClient client) {
    this.address = address;
    this.service = service;
    this.client = client;
  }

  public static TemporalConnection connect(String address, String namespace) {
    return connect(address, namespace, new NoopScope());
  }

  /** @param metrics where the SDK reports its client and worker metrics */
  public static TemporalConnection connect(String address, String namespace, Scope metrics) {
    WorkflowServiceStubsOptions options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(address)
        .setRpcQueryTimeout(QUERY_TIMEOUT)
        .setMetricsScope(metrics)
        .build();
    WorkflowServiceStubs service;
    try {
      service = WorkflowServiceStubs.newConnectedServiceStubs(options, CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach Temporal at " + address + " within "
          + CONNECT_TIMEOUT.toSeconds() + " s (set TEMPORAL_ADDRESS or --temporal-address; is `concat dev` running?): "
          + e.getMessage(), e);
    }
    WorkflowClient client = WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    return new TemporalConnection(address, service, client);
  }

  public WorkflowClient client() {
    return client;
  }

  /** The frontend's {@code host:port}. */
  public String address() {
    return address;
  }

  public String namespace() {
    return client.getOptions().getNamespace();
  }

  @Override
  public void close() {
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
