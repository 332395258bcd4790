package dev.concat.app.temporal;

import dev.concat.activities.HostActivitiesImpl;
import dev.concat.activities.JobActivitiesImpl;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.workflows.ConcatWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concat worker: polls the shared queue (workflows and host claims) and its own host queue
 * (the download, concat and upload steps that share this host's disk).
 */
public final class ConcatWorker {
  private static final Logger log = LoggerFactory.getLogger(ConcatWorker.class);

  /**
   * The SDK sends heartbeats at most every 0.8 x the heartbeat timeout; a cancellation only
   * reaches a running activity with a heartbeat's reply, so heartbeats go out at least this often.
   */
  private static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(1);

  private final WorkerConfig config;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final JobActivitiesImpl jobActivities;

  public ConcatWorker(WorkflowClient client, WorkerConfig config, SharedS3Clients s3) {
    this.config = config;
    this.client = client;
    this.factory = WorkerFactory.newInstance(client);
    this.jobActivities = new JobActivitiesImpl(
        config.activities(), s3.client(), s3.transferManager(), new WorkflowSignalProgressReporter(client));

    Worker shared = factory.newWorker(config.taskQueue(), options().build());
    shared.registerWorkflowImplementationTypes(ConcatWorkflowImpl.class);
    shared.registerActivitiesImplementations(new HostActivitiesImpl(config.hostTaskQueue(), config.identity()));

    Worker host = factory.newWorker(config.hostTaskQueue(),
        options().setMaxConcurrentActivityExecutionSize(config.maxConcurrentJobs()).build());
    host.registerActivitiesImplementations(jobActivities);
  }

  private WorkerOptions.Builder options() {
    return WorkerOptions.newBuilder()
        .setIdentity(config.identity())
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE);
  }

  public WorkerConfig config() {
    return config;
  }

  public void start() {
    new StaleWorkSweeper(client, jobActivities.workDirectories()).sweep();
    factory.start();
    log.info("worker={} started taskQueue={} hostTaskQueue={} workDir={} maxConcurrentJobs={}",
        config.identity(), config.taskQueue(), config.hostTaskQueue(), config.activities().workDir(),
        config.maxConcurrentJobs());
  }

  /**
   * Stops FFmpeg and fails the running steps with a shutdown error first, so their jobs move to
   * another host at once; then lets the pollers and running tasks finish within the grace.
   */
  public void shutdown() {
    log.info("worker={} shutting down, grace={}s", config.identity(), config.shutdownGrace().toSeconds());
    jobActivities.shutdown();
    factory.shutdown();
    factory.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("worker={} still busy after {}s; stopping now", config.identity(), config.shutdownGrace().toSeconds());
      factory.shutdownNow();
      factory.awaitTermination(2, TimeUnit.SECONDS);
    }
    log.info("worker={} stopped", config.identity());
  }
}
