package dev.concat.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.metrics.JobMetrics;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MetricsServerTest {
  private final AtomicBoolean ready = new AtomicBoolean();
  private WorkerMetrics metrics;
  private MetricsServer server;

  @BeforeEach
  void start() {
    metrics = new WorkerMetrics();
    server =
        MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics::scrape, ready::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void activitiesMetricsAreScrapedWithPrometheusNames() {
    JobMetrics jobs = metrics.jobs();
    jobs.segmentDownloaded(1_000);
    jobs.segmentDownloaded(2_500);
    jobs.segmentDownloaded(500);
    jobs.outputUploaded(3_900);
    jobs.ffmpegStarted();
    jobs.ffmpegStarted();
    jobs.ffmpegFinished(Duration.ofMillis(1_500));

    HttpResponse<String> response = Scrape.get(server.url() + "/metrics");
    Map<String, Double> samples = Scrape.samples(response.body());

    assertEquals(200, response.statusCode());
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("text/plain; version=0.0.4"));
    assertEquals(3.0, samples.get("concat_segments_downloaded_total"), response::body);
    assertEquals(4_000.0, samples.get("concat_downloaded_bytes_total"), response::body);
    assertEquals(3_900.0, samples.get("concat_uploaded_bytes_total"), response::body);
    assertEquals(1.0, samples.get("concat_ffmpeg_active"), "one of two FFmpeg runs still going");
    assertEquals(1.0, samples.get("concat_ffmpeg_seconds_count"), response::body);
    assertEquals(1.5, samples.get("concat_ffmpeg_seconds_sum"), 1e-9, response::body);
  }

  /**
   * What the workflow does with Workflow.getMetricsScope(): a counter on the SDK's scope, tagged.
   */
  @Test
  void countersOnTheSdkScopeReachTheScrape() throws InterruptedException {
    metrics
        .sdkScope()
        .tagged(Map.of("outcome", "completed"))
        .counter("concat_jobs_finished")
        .inc(2);
    metrics.sdkScope().tagged(Map.of("outcome", "failed")).counter("concat_jobs_finished").inc(1);

    // The scope hands its counts to the registry once a second.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Double> samples = Scrape.samples(Scrape.get(server.url() + "/metrics").body());
    while (Scrape.total(samples, "concat_jobs_finished_total") < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      samples = Scrape.samples(Scrape.get(server.url() + "/metrics").body());
    }

    assertEquals(
        2.0, samples.get("concat_jobs_finished_total{outcome=\"completed\"}"), samples::toString);
    assertEquals(
        1.0, samples.get("concat_jobs_finished_total{outcome=\"failed\"}"), samples::toString);
  }

  @Test
  void readinessIsWhatTheWorkerSaysAndLivenessHoldsThroughout() {
    assertEquals(503, Scrape.get(server.url() + "/health/ready").statusCode());
    assertEquals(200, Scrape.get(server.url() + "/health/live").statusCode());

    ready.set(true);
    assertEquals(200, Scrape.get(server.url() + "/health/ready").statusCode());

    ready.set(false);
    assertEquals(503, Scrape.get(server.url() + "/health/ready").statusCode());
    assertEquals(200, Scrape.get(server.url() + "/health/live").statusCode());
  }

  @Test
  void otherPathsAreNotFound() {
    assertEquals(404, Scrape.get(server.url() + "/").statusCode());
    assertEquals(404, Scrape.get(server.url() + "/metricsx").statusCode());
    assertEquals(404, Scrape.get(server.url() + "/health").statusCode());
  }

  /**
   * A probe must not wait behind a client that connected and went quiet, or that sent half a
   * request: a liveness probe that times out restarts a healthy worker.
   */
  @Test
  void idleAndHalfSentConnectionsStallNoProbeAndAreClosed() throws Exception {
    URI url = URI.create(server.url());
    List<Socket> quiet = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket socket = new Socket(url.getHost(), url.getPort());
        if (i % 2 == 1) {
          socket
              .getOutputStream()
              .write(
                  "GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
        }
        quiet.add(socket);
      }

      long started = System.nanoTime();
      HttpResponse<String> live =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(url.resolve("/health/live"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertEquals(200, live.statusCode());
      assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "answered in " + took);
      // The server drops each quiet connection after its idle timeout: the read sees the end.
      Socket first = quiet.get(0);
      first.setSoTimeout((int) MetricsServer.IDLE_TIMEOUT_MILLIS + 5_000);
      assertEquals(-1, first.getInputStream().read(), "closed by the server");
    } finally {
      for (Socket socket : quiet) {
        socket.close();
      }
    }
  }
}
