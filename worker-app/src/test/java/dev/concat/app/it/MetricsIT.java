package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.metrics.Scrape;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.testkit.FreePorts;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an operator's Prometheus and orchestrator see of a real worker JVM running one job. */
@Timeout(120)
class MetricsIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @Test
  void aWorkerCountsItsJobAndIsNoLongerReadyOnceSigtermArrives() {
    AudioSet audio = AudioSet.sines(4, 2.0);
    int port = FreePorts.pick();
    String endpoint = "http://127.0.0.1:" + port;
    WorkerJvm worker =
        stack.startWorker(
            "A",
            Map.of(
                "CONCAT_METRICS_PORT", String.valueOf(port), "CONCAT_METRICS_HOST", "127.0.0.1"));
    worker.awaitLog("metrics and health on " + endpoint, Duration.ofSeconds(1));
    assertEquals(
        200,
        Scrape.get(endpoint + "/health/ready").statusCode(),
        "ready once it says it is running");
    assertEquals(200, Scrape.get(endpoint + "/health/live").statusCode());

    String jobId = "metrics-one-job";
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                .build());
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Map<String, Double> samples = awaitSdkReport(endpoint, "temporal_workflow_completed_total");

    assertEquals(
        (double) audio.files().size(),
        samples.get("concat_segments_downloaded_total"),
        samples::toString);
    assertEquals(
        bytesOf(audio.files()), samples.get("concat_downloaded_bytes_total"), samples::toString);
    assertEquals(
        (double) result.sizeBytes(), samples.get("concat_uploaded_bytes_total"), samples::toString);
    assertTrue(samples.get("concat_ffmpeg_seconds_count") >= 1, samples::toString);
    assertEquals(0.0, samples.get("concat_ffmpeg_active"), "FFmpeg has exited");
    assertEquals(
        1.0, Scrape.total(samples, "temporal_workflow_completed_total"), samples::toString);
    assertTrue(
        Scrape.total(samples, "temporal_activity_execution_latency_seconds_count") >= 4,
        "claim, download, concat, upload: " + samples.keySet());
    assertEquals(
        1.0, completedJobs(samples), "the workflow's own counter, through the SDK's scope");

    worker.sigterm();
    List<Integer> answers = readinessUntilGone(endpoint, worker);
    int notReady = answers.indexOf(503);
    assertTrue(notReady >= 0, "readiness turned 503 between SIGTERM and exit; answers " + answers);
    assertFalse(
        answers.subList(notReady, answers.size()).contains(200),
        "never ready again once shutdown began; answers " + answers);
  }

  /**
   * The SDK's scope reports to the registry once a second, so its counts lag the job by that much.
   */
  private static Map<String, Double> awaitSdkReport(String endpoint, String name) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      Map<String, Double> samples = Scrape.samples(Scrape.get(endpoint + "/metrics").body());
      if (Scrape.total(samples, name) > 0 && completedJobs(samples) > 0
          || System.nanoTime() > deadline) {
        return samples;
      }
      pause(Duration.ofMillis(200));
    }
  }

  private static double completedJobs(Map<String, Double> samples) {
    return samples.entrySet().stream()
        .filter(
            e ->
                e.getKey().startsWith("concat_jobs_finished_total{")
                    && e.getKey().contains("outcome=\"completed\""))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** /health/ready status codes from SIGTERM until the port closes with the process. */
  private static List<Integer> readinessUntilGone(String endpoint, WorkerJvm worker) {
    List<Integer> answers = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (worker.isAlive() && System.nanoTime() < deadline) {
      try {
        answers.add(Scrape.get(endpoint + "/health/ready").statusCode());
      } catch (UncheckedIOException closed) {
        break;
      }
      pause(Duration.ofMillis(20));
    }
    return answers;
  }

  private static double bytesOf(List<Path> files) {
    long bytes = 0;
    for (Path file : files) {
      try {
        bytes += Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
