package dev.concat.app.temporal;

import dev.concat.activities.ChunkActivitiesImpl;
import dev.concat.activities.ChunkFleet;
import dev.concat.activities.HostActivitiesImpl;
import dev.concat.activities.JobActivitiesImpl;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.app.config.ChunkSpread;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.OutputObject;
import dev.concat.workflows.ConcatWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.common.VersioningBehavior;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concat worker: polls the shared queue (workflows and host claims), its own host queue (the
 * download, concat and upload steps that share this host's disk) and, with chunk slots, the chunks
 * queue (any job's chunk encodes, whose files are in S3). It owns this host's resources (work
 * directories, job slots, shutdown gate) and hands them to all three.
 */
public final class ConcatWorker {
  private static final Logger log = LoggerFactory.getLogger(ConcatWorker.class);

  /**
   * The SDK sends heartbeats at most every 0.8 x the heartbeat timeout; a cancellation only reaches
   * a running activity with a heartbeat's reply, so heartbeats go out at least this often.
   */
  private static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(1);

  private static final int CLEANUP_SLOTS = 2;

  /** Workflow tasks (and the unused local activity and Nexus tasks) at once: the SDK's default. */
  private static final int SHARED_QUEUE_TASK_SLOTS = 200;

  /**
   * An operator may register the search attributes while workers run; new jobs use them from then
   * on.
   */
  private static final Duration SEARCH_ATTRIBUTE_RECHECK = Duration.ofMinutes(1);

  /** Kept from the shutdown grace for reporting the stopped steps and closing the pollers. */
  private static final Duration FACTORY_SHUTDOWN_RESERVE = Duration.ofSeconds(3);

  /** Long enough for a failure report to reach the server and its workflow task to come back. */
  private static final Duration WORKFLOW_TASK_DRAIN = Duration.ofSeconds(1);

  private final WorkerConfig config;
  private final Optional<WorkerDeploymentVersion> version;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final HostResources host;
  private final StaleWorkSweeper sweeper;
  private final SearchAttributeCheck searchAttributes;
  private final FreeJobSlotSupplier claimSlots;
  private final ScheduledExecutorService sweeps =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "concat-work-dir-sweep");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean ready;

  /** A worker that exports no job metrics, as the embedded stack's are. */
  public ConcatWorker(WorkflowClient client, WorkerConfig config, SharedS3Clients s3) {
    this(client, config, s3, JobMetrics.none());
  }

  public ConcatWorker(
      WorkflowClient client, WorkerConfig config, SharedS3Clients s3, JobMetrics metrics) {
    this(client, config, s3, metrics, Optional.empty());
  }

  /**
   * @param version the Worker Deployment Version to poll as, or empty for an unversioned worker
   */
  public ConcatWorker(
      WorkflowClient client,
      WorkerConfig config,
      SharedS3Clients s3,
      JobMetrics metrics,
      Optional<WorkerDeploymentVersion> version) {
    this(client, config, s3, metrics, version, OutputObject.NONE);
  }

  /**
   * @param outputDefaults the operator's output object settings, under each request's own
   */
  public ConcatWorker(
      WorkflowClient client,
      WorkerConfig config,
      SharedS3Clients s3,
      JobMetrics metrics,
      Optional<WorkerDeploymentVersion> version,
      OutputObject outputDefaults) {
    this.config = config;
    this.version = version;
    this.client = client;
    this.factory = WorkerFactory.newInstance(client);
    var activities = config.activities();
    this.host = HostResources.of(activities);

    this.sweeper = new StaleWorkSweeper(client, host.workDirs(), host.slots());

    // The shared queue's only activity is the claim: it is polled for only while a job slot is
    // free.
    claimSlots = new FreeJobSlotSupplier(host.slots()::free, host.slots().capacity());
    Worker shared =
        factory.newWorker(
            config.taskQueue(),
            options()
                .setWorkerTuner(
                    new CompositeTuner(
                        new FixedSizeSlotSupplier<>(SHARED_QUEUE_TASK_SLOTS),
                        claimSlots,
                        new FixedSizeSlotSupplier<>(SHARED_QUEUE_TASK_SLOTS),
                        new FixedSizeSlotSupplier<>(SHARED_QUEUE_TASK_SLOTS)))
                .build());
    searchAttributes =
        new SearchAttributeCheck(
            client.getWorkflowServiceStubs(), client.getOptions().getNamespace());
    shared.registerWorkflowImplementationFactory(
        ConcatWorkflow.class,
        () -> new ConcatWorkflowImpl(searchAttributes, config.activities()::policy));
    shared.registerActivitiesImplementations(
        new HostActivitiesImpl(activities.hostTaskQueue(), activities.workerIdentity(), host));

    // Job slots bound the jobs on this host; the spare activity slots are for cleanups, which
    // must not wait behind running jobs past their schedule-to-start timeout.
    Worker hostQueue =
        factory.newWorker(
            config.hostTaskQueue(),
            options()
                .setMaxConcurrentActivityExecutionSize(config.maxConcurrentJobs() + CLEANUP_SLOTS)
                .build());
    hostQueue.registerActivitiesImplementations(
        new JobActivitiesImpl(
            activities,
            host,
            s3.client(),
            s3.transferManager(),
            metrics,
            outputDefaults,
            chunkFleet(client, config, version, host)));

    // A worker without chunk slots only hosts jobs: it never asks for a chunk it would not take.
    if (config.chunkSlots() > 0) {
      Worker chunks =
          factory.newWorker(
              config.chunkTaskQueue(),
              options().setMaxConcurrentActivityExecutionSize(config.chunkSlots()).build());
      chunks.registerActivitiesImplementations(
          new ChunkActivitiesImpl(activities, host, s3.client(), metrics));
    }
  }

  /** Who else encodes chunks, as {@code --chunk-spread} says to find out. */
  private static ChunkFleet chunkFleet(
      WorkflowClient client,
      WorkerConfig config,
      Optional<WorkerDeploymentVersion> version,
      HostResources host) {
    if (config.chunkSpread() != ChunkSpread.AUTO) {
      return ChunkFleet.ASSUMED;
    }
    return new ChunkQueuePollers(
        client.getWorkflowServiceStubs(),
        client.getOptions().getNamespace(),
        config.chunkTaskQueue(),
        config.identity(),
        version,
        config.activities().chunkedEncoding().runLength(),
        host.encoderCores().cores(),
        Clock.systemUTC());
  }

  /**
   * Every queue joins the version: a job pinned to it claims a host on the shared queue, and runs
   * its steps on that host's queue and its chunks on the chunks queue, only on workers of the build
   * it started on.
   */
  private WorkerOptions.Builder options() {
    WorkerOptions.Builder options = WorkerOptions.newBuilder();
    version.ifPresent(
        v ->
            options.setDeploymentOptions(
                WorkerDeploymentOptions.newBuilder()
                    .setVersion(v)
                    .setUseVersioning(true)
                    // A deploy never changes a running join: each job ends on the build that
                    // started it.
                    .setDefaultVersioningBehavior(VersioningBehavior.PINNED)
                    .build()));
    return options
        .setIdentity(config.identity())
        // A workflow task waiting on the sticky queue of a worker that is gone moves to the shared
        // queue after this (the default is 5 s); replaying a job's short history costs little.
        .setStickyQueueScheduleToStartTimeout(Duration.ofSeconds(2))
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE);
  }

  public WorkerConfig config() {
    return config;
  }

  /** {@code deployment:build (pinned)}, or {@code unversioned}. */
  public String versionText() {
    return version.map(v -> v.toCanonicalString() + " (pinned)").orElse("unversioned");
  }

  /** Polling for work: true from the moment the pollers run until {@link #shutdown} begins. */
  public boolean isReady() {
    return ready;
  }

  public void start() {
    // Chunks a predecessor kept may be another FFmpeg build's (a deploy): none outlives its worker.
    host.workDirs().chunkCache().clear();
    sweeper.sweep();
    searchAttributes.refresh();
    factory.start();
    ready = true;
    long every = config.sweepInterval().toMillis();
    sweeps.scheduleWithFixedDelay(sweeper::sweep, every, every, TimeUnit.MILLISECONDS);
    long recheck = SEARCH_ATTRIBUTE_RECHECK.toMillis();
    sweeps.scheduleWithFixedDelay(
        searchAttributes::refresh, recheck, recheck, TimeUnit.MILLISECONDS);
    log.info(
        "worker={} started taskQueue={} hostTaskQueue={} chunkTaskQueue={} workDir={}"
            + " maxConcurrentJobs={} chunkSlots={} version={}",
        config.identity(),
        config.taskQueue(),
        config.hostTaskQueue(),
        config.chunkSlots() > 0 ? config.chunkTaskQueue() : "none",
        config.activities().workDir(),
        config.maxConcurrentJobs(),
        config.chunkSlots(),
        versionText());
  }

  /**
   * Stops FFmpeg and fails the running steps with a shutdown error, so their jobs move to another
   * host at once; then stops polling and lets the failure reports finish. All of it within the
   * shutdown grace.
   */
  /**
   * The steps just failed make the server send their workflows a task, to this worker's sticky
   * queue. Stopping the pollers at that moment lost the task until its 10 s timeout (measured: the
   * job moved 10.5 s after its step failed), so this worker runs those tasks first.
   */
  private void drainWorkflowTasks() {
    try {
      Thread.sleep(WORKFLOW_TASK_DRAIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void shutdown() {
    ready = false;
    long started = System.nanoTime();
    Duration grace = config.shutdownGrace();
    log.info("worker={} shutting down, grace={}ms", config.identity(), grace.toMillis());
    sweeps.shutdownNow();
    // Polling goes on while the steps stop: new claims and steps are refused, and this worker
    // still runs the workflow tasks their failures cause, instead of leaving them on its sticky
    // queue until they time out. factory.shutdown() then hands the sticky queue back.
    Duration forJobs = grace.minus(FACTORY_SHUTDOWN_RESERVE);
    boolean handedBack =
        host.stopJobs(
            config.identity(),
            forJobs.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : forJobs);
    if (handedBack) {
      drainWorkflowTasks();
    }
    factory.shutdown();
    claimSlots.close();
    long remainingMillis = grace.toMillis() - (System.nanoTime() - started) / 1_000_000;
    factory.awaitTermination(Math.max(remainingMillis, 500), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn(
          "worker={} still busy at the end of the {} ms grace; stopping now",
          config.identity(),
          grace.toMillis());
      factory.shutdownNow();
    }
    log.info(
        "worker={} stopped in {} ms", config.identity(), (System.nanoTime() - started) / 1_000_000);
  }
}
