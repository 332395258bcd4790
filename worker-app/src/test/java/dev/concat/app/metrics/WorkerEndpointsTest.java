package dev.concat.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.HostIdentity;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.app.temporal.ConcatWorker;
import dev.concat.app.temporal.WorkerConfig;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real worker on the in-process Temporal server, its SDK metrics and readiness seen over HTTP.
 */
@Timeout(60)
class WorkerEndpointsTest {
  private static final String TASK_QUEUE = "endpoints-test";

  @TempDir Path workDir;
  private WorkerMetrics metrics;
  private TestWorkflowEnvironment temporal;
  private SharedS3Clients s3;
  private ConcatWorker worker;
  private MetricsServer server;

  @BeforeEach
  void start() {
    metrics = new WorkerMetrics();
    temporal =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setMetricsScope(metrics.sdkScope()).build());
    // No step of a job runs here: the clients are never called.
    s3 = SharedS3Clients.open(S3Connection.dev(URI.create("http://127.0.0.1:9")));
    WorkerTuning tuning = new WorkerTuning();
    new CommandLine(tuning).parseArgs("--shutdown-grace", "4s");
    WorkerConfig config =
        WorkerConfig.of(
            TASK_QUEUE,
            workDir,
            HostIdentity.current(),
            "endpoints-test-worker",
            tuning,
            new FfmpegBinaries(Path.of("ffmpeg"), Path.of("ffprobe")));
    worker = new ConcatWorker(temporal.getWorkflowClient(), config, s3, metrics.jobs());
    server =
        MetricsServer.start(
            new InetSocketAddress("127.0.0.1", 0), metrics::scrape, worker::isReady);
  }

  @AfterEach
  void stop() {
    server.close();
    worker.shutdown();
    s3.close();
    temporal.close();
    metrics.close();
  }

  /** Its predecessor's kept chunks may be another FFmpeg build's: a started worker has none. */
  @Test
  void aStartedWorkerKeepsNoChunksOfTheWorkerBeforeIt() throws Exception {
    Path kept = Files.createDirectories(workDir.resolve("chunk-cache"));
    Files.write(kept.resolve("chunk-00000-ab.mp3"), new byte[1000]);
    Files.writeString(kept.resolve("chunk-00000-ab.mp3.loudness.json"), "{}");

    worker.start();

    try (Stream<Path> left = Files.list(kept)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void readyOnlyWhilePollingAndTheSdkMetricsAreScraped() throws InterruptedException {
    assertEquals(503, Scrape.get(server.url() + "/health/ready").statusCode(), "before start");
    assertEquals(200, Scrape.get(server.url() + "/health/live").statusCode(), "before start");

    worker.start();
    assertEquals(200, Scrape.get(server.url() + "/health/ready").statusCode(), "after start");
    // The worker really polls: a job without segments is picked up and fails validation.
    WorkflowClient client = temporal.getWorkflowClient();
    ConcatWorkflow job =
        client.newWorkflowStub(
            ConcatWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowId("no-segments")
                .build());
    assertThrows(
        WorkflowFailedException.class,
        () ->
            job.concat(
                ConcatRequest.builder("no-segments")
                    .segments(List.of())
                    .output("s3://bucket/out.mp3")
                    .build()));

    Map<String, Double> samples = awaitSample("temporal_workflow_failed_total");
    assertTrue(Scrape.total(samples, "temporal_workflow_failed_total") >= 1, samples::toString);
    assertTrue(
        samples.keySet().stream()
            .anyMatch(k -> k.startsWith("temporal_workflow_task_execution_latency")),
        "the SDK's worker timers are exported: " + samples.keySet());

    worker.shutdown();
    assertEquals(503, Scrape.get(server.url() + "/health/ready").statusCode(), "after shutdown");
    assertEquals(200, Scrape.get(server.url() + "/health/live").statusCode(), "after shutdown");
  }

  /** The SDK's scope reports to the registry once a second. */
  private Map<String, Double> awaitSample(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      Map<String, Double> samples = Scrape.samples(Scrape.get(server.url() + "/metrics").body());
      if (Scrape.total(samples, name) > 0 || System.nanoTime() > deadline) {
        return samples;
      }
      Thread.sleep(200);
    }
  }
}
