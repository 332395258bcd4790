package dev.concat.bench;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code temporal server start-dev}, headless and in memory, on free ports of 127.0.0.1: the real
 * Temporal server, as operators run it in development, rather than the test server.
 */
final class TemporalDevProcess implements AutoCloseable {
  /** start-dev takes a few seconds on a busy machine; far longer means it is not coming up. */
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  private final Process process;
  private final String address;

  private TemporalDevProcess(Process process, String address) {
    this.process = process;
    this.address = address;
  }

  /** start-dev binds its internal ports itself and can lose them to another process; retried. */
  private static final int PORT_RACE_ATTEMPTS = 3;

  static TemporalDevProcess start(Path binary, Path log) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(binary, log);
      } catch (IllegalStateException e) {
        if (attempt == PORT_RACE_ATTEMPTS || !logSays(log, "address already in use")) {
          throw e;
        }
      }
    }
  }

  private static boolean logSays(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static TemporalDevProcess startOnce(Path binary, Path log) {
    int port = LocalResources.freePort();
    String address = "127.0.0.1:" + port;
    List<String> command = new ArrayList<>(List.of(binary.toString(), "server", "start-dev", "--headless",
        "--ip", "127.0.0.1", "--port", String.valueOf(port), "--http-port", String.valueOf(LocalResources.freePort()),
        "--metrics-port", String.valueOf(LocalResources.freePort()), "--log-level", "warn"));
    try {
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(ChildProcesses.diesWithStartingThread(command))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      process.getOutputStream().close();
      var server = new TemporalDevProcess(process, address);
      try {
        server.awaitReady(log);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private void awaitReady(Path log) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      long deadline = System.nanoTime() + READY_LIMIT.toNanos();
      var describe = DescribeNamespaceRequest.newBuilder().setNamespace("default").build();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("temporal server start-dev exited " + process.exitValue() + "; log " + log);
        }
        try {
          service.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).describeNamespace(describe);
          return;
        } catch (StatusRuntimeException notYet) {
          ChildProcesses.sleep(Duration.ofMillis(200));
        }
      }
      throw new IllegalStateException("temporal server start-dev did not answer within " + READY_LIMIT.toSeconds()
          + " s; log " + log);
    } finally {
      service.shutdownNow();
    }
  }

  String address() {
    return address;
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(5));
  }
}
