package dev.concat.app.temporal;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A checked connection to a Temporal frontend and a client for one namespace. */
public final class TemporalConnection implements AutoCloseable {
  /**
   * A server that is starting gets this long to answer (the compose stack's workers start after
   * Temporal is healthy, and restart): an unreachable endpoint is reported within 10 s, leaving
   * room for the JVM's start on an idle machine. Faults waiting cannot cure (TLS, credentials) are
   * reported at the first answer.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(6);

  /** One health check; a TLS handshake over a slow link fits in it. */
  private static final Duration HEALTH_CHECK_ATTEMPT = Duration.ofSeconds(3);

  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  /** A status query is answered from a worker's memory; beyond this no worker is listening. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final TemporalClientConfig config;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  private TemporalConnection(
      TemporalClientConfig config, WorkflowServiceStubs service, WorkflowClient client) {
    this.config = config;
    this.service = service;
    this.client = client;
  }

  public static TemporalConnection connect(TemporalClientConfig config) {
    return connect(config, new NoopScope());
  }

  /**
   * @param metrics where the SDK reports its client and worker metrics
   */
  public static TemporalConnection connect(TemporalClientConfig config, Scope metrics) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            config
                .serviceOptions()
                .setRpcQueryTimeout(QUERY_TIMEOUT)
                .setHealthCheckAttemptTimeout(HEALTH_CHECK_ATTEMPT)
                .setMetricsScope(metrics)
                .build());
    try {
      awaitHealthy(service, config);
    } catch (RuntimeException e) {
      service.shutdownNow();
      throw e;
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(config.namespace()).build());
    return new TemporalConnection(config, service, client);
  }

  private static void awaitHealthy(WorkflowServiceStubs service, TemporalClientConfig config) {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (true) {
      try {
        service.healthCheck();
        return;
      } catch (StatusRuntimeException e) {
        ConnectProblem problem = ConnectProblem.of(e, config);
        if (!problem.worthRetrying() || System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
          throw new IllegalStateException(
              "cannot reach Temporal at "
                  + config.address()
                  + " ("
                  + config.security()
                  + ")"
                  + (problem.worthRetrying() ? " within " + CONNECT_TIMEOUT.toSeconds() + " s" : "")
                  + ": "
                  + problem.hint()
                  + " ["
                  + ConnectProblem.describe(e)
                  + "]",
              e);
        }
      }
      try {
        Thread.sleep(RETRY_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while connecting to Temporal at " + config.address(), e);
      }
    }
  }

  public WorkflowClient client() {
    return client;
  }

  /** The frontend's {@code host:port}. */
  public String address() {
    return config.address();
  }

  public String namespace() {
    return config.namespace();
  }

  /** How the connection is secured: plaintext, TLS, mTLS, with or without an API key. */
  public String security() {
    return config.security();
  }

  @Override
  public void close() {
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
