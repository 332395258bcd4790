package dev.concat.activities.testing;

import dev.concat.activities.ActivitySettings;
import dev.concat.activities.HostActivitiesImpl;
import dev.concat.activities.JobActivitiesImpl;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.contract.HostActivities;
import dev.concat.contract.JobActivities;
import dev.concat.contract.OutputObject;
import dev.concat.contract.ProgressUpdate;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real {@link JobActivitiesImpl} in Temporal's {@link TestActivityEnvironment}, talking to an
 * {@link S3Endpoint}, with the progress signals it sends collected in {@link #updates()}, on host
 * resources of its own as a worker would hand them in.
 */
public final class JobActivitiesHarness implements AutoCloseable {
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final List<ProgressUpdate> updates = new CopyOnWriteArrayList<>();
  private final ActivitySettings settings;
  private final HostResources host;
  private final JobActivitiesImpl activities;
  private final JobActivities stub;

  public JobActivitiesHarness(ActivitySettings settings, S3Endpoint s3, Duration heartbeatTimeout) {
    this(settings, s3, heartbeatTimeout, OutputObject.NONE);
  }

  /**
   * @param outputDefaults the operator's output object settings
   */
  public JobActivitiesHarness(
      ActivitySettings settings,
      S3Endpoint s3,
      Duration heartbeatTimeout,
      OutputObject outputDefaults) {
    this.settings = settings;
    this.host = HostResources.of(settings);
    this.activities =
        new JobActivitiesImpl(
            settings,
            host,
            s3.s3(),
            s3.transferManager(),
            (jobId, u) -> updates.add(u),
            JobMetrics.none(),
            outputDefaults);
    env.registerActivitiesImplementations(activities);
    stub =
        env.newActivityStub(
            JobActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(heartbeatTimeout)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  public JobActivities stub() {
    return stub;
  }

  public JobActivitiesImpl activities() {
    return activities;
  }

  public HostResources host() {
    return host;
  }

  /** The host claims a worker would register beside these activities, on the same resources. */
  public HostActivities hostClaims() {
    return new HostActivitiesImpl(settings.hostTaskQueue(), settings.workerIdentity(), host);
  }

  /** Stops the running activities as a worker shutting down does. */
  public boolean stopJobs(Duration bound) {
    return host.stopJobs(settings.workerIdentity(), bound);
  }

  public TestActivityEnvironment env() {
    return env;
  }

  public List<ProgressUpdate> updates() {
    return updates;
  }

  public List<ProgressUpdate> updates(String phase) {
    return updates.stream().filter(u -> u.phase().equals(phase)).toList();
  }

  public Path jobDir(String jobId) {
    return settings.workDir().resolve("jobs").resolve(jobId);
  }

  @Override
  public void close() {
    env.close();
  }
}
