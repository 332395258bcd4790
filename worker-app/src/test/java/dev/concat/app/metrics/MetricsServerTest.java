package dev.concat.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.metrics.JobMetrics;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
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
    server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics::scrape, ready::get);
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
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals(3.0, samples.get("concat_segments_downloaded_total"), response::body);
    assertEquals(4_000.0, samples.get("concat_downloaded_bytes_total"), response::body);
    assertEquals(3_900.0, samples.get("concat_uploaded_bytes_total"), response::body);
    assertEquals(1.0, samples.get("concat_ffmpeg_active"), "one of two FFmpeg runs still going");
    assertEquals(1.0, samples.get("concat_ffmpeg_seconds_count"), response::body);
    assertEquals(1.5, samples.get("concat_ffmpeg_seconds_sum"), 1e-9, response::body);
  }

  /** What the workflow does with Workflow.getMetricsScope(): a counter on the SDK's scope, tagged. */
  @Test
  void countersOnTheSdkScopeReachTheScrape() throws InterruptedException {
    metrics.sdkScope().tagged(Map.of("outcome", "completed")).counter("concat_jobs_finished").inc(2);
    metrics.sdkScope().tagged(Map.of("outcome", "failed")).counter("concat_jobs_finished").inc(1);

    // The scope hands its counts to the registry once a second.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Double> samples = Scrape.samples(Scrape.get(server.url() + "/metrics").body());
    while (Scrape.total(samples, "concat_jobs_finished_total") < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      samples = Scrape.samples(Scrape.get(server.url() + "/metrics").body());
    }

    assertEquals(2.0, samples.get("concat_jobs_finished_total{outcome=\"completed\"}"), samples::toString);
    assertEquals(1.0, samples.get("concat_jobs_finished_total{outcome=\"failed\"}"), samples::toString);
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
}
