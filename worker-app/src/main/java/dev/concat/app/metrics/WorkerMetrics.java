package dev.concat.app.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import dev.concat.activities.metrics.JobMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * One worker's meters in one Prometheus registry: the Temporal SDK's and whatever workflow code
 * counts on {@code Workflow.getMetricsScope()}, both through {@link #sdkScope()}, and the
 * activities' {@link #jobs()}.
 */
public final class WorkerMetrics implements AutoCloseable {
  /**
   * How often the SDK's scope hands its counts to the registry, so how far behind a scrape can be;
   * a flush is a walk over a few hundred meters.
   */
  private static final com.uber.m3.util.Duration SDK_REPORT_INTERVAL =
      com.uber.m3.util.Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope sdkScope =
      new RootScopeBuilder()
          .reporter(new MicrometerClientStatsReporter(registry))
          .reportEvery(SDK_REPORT_INTERVAL);
  private final JobMetrics jobs = new MicrometerJobMetrics(registry);

  /**
   * For {@code WorkflowServiceStubsOptions.setMetricsScope}: the SDK's client and worker metrics.
   */
  public Scope sdkScope() {
    return sdkScope;
  }

  /** For the activities: segments and bytes moved, FFmpeg runs. */
  public JobMetrics jobs() {
    return jobs;
  }

  /** Every meter in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Reports what the SDK counted since the last flush, and stops the scope's reporting thread. */
  @Override
  public void close() {
    try {
      sdkScope.close();
    } catch (ScopeCloseException e) {
      throw new IllegalStateException("cannot close the Temporal SDK's metrics scope", e);
    }
  }
}
