package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.FfmpegOptions;
import dev.concat.app.config.HostIdentity;
import dev.concat.app.config.MetricsOptions;
import dev.concat.app.config.OutputObjectOptions;
import dev.concat.app.config.PolicyOptions;
import dev.concat.app.config.S3Options;
import dev.concat.app.config.TemporalOptions;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.config.WorkerVersioningOptions;
import dev.concat.app.metrics.MetricsServer;
import dev.concat.app.metrics.WorkerMetrics;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.app.temporal.ConcatWorker;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.app.temporal.WorkerConfig;
import dev.concat.contract.OutputObject;
import io.temporal.common.WorkerDeploymentVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a worker until SIGTERM or Ctrl-C: it polls the shared task queue (workflows, host claims), its own "
          + "host queue (download, concat, upload) and, with chunk slots, the task queue's -chunks queue (any job's "
          + "chunk encodes). On SIGTERM it stops FFmpeg, hands its jobs back for another "
          + "worker, and exits within the shutdown grace.",
      "S3 credentials come from the AWS default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, instance roles...); "
          + "only with the dev stack's own endpoint ("
          + S3Options.DEV_ENDPOINT
          + ") and none of those is the dev "
          + "stack's key used.",
      "Jobs may read and write only where --allowed-inputs and --allowed-outputs say; with any endpoint but the "
          + "dev stack's, the worker refuses to start without both."
    })
public final class WorkerCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private TemporalOptions temporal;
  @Mixin private S3Options s3;
  @Mixin private OutputObjectOptions outputObject;
  @Mixin private WorkerTuning tuning;
  @Mixin private FfmpegOptions ffmpegOptions;
  @Mixin private MetricsOptions metricsOptions;
  @Mixin private WorkerVersioningOptions versioning;
  @Mixin private PolicyOptions policy;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      defaultValue = "./.concat/work",
      description =
          "Local work files; also names this worker's host queue, so a restart with the same folder "
              + "resumes its downloads. Env CONCAT_WORK_DIR; default: ${DEFAULT-VALUE}.")
  private Path workDir;

  @Override
  public Integer call() throws InterruptedException {
    ConcatCli.Console console = cli.console();
    FfmpegBinaries ffmpeg = FfmpegBinaries.locate(ffmpegOptions, console.environment().get("PATH"));
    S3Connection s3Connection = S3Connection.resolve(s3, console.environment());
    OutputObject outputDefaults = outputObject.defaults();
    HostIdentity host = HostIdentity.current();
    Optional<WorkerDeploymentVersion> version = versioning.version();
    WorkerConfig config =
        WorkerConfig.of(temporal.taskQueue(), workDir, host, host.workerIdentity(), tuning, ffmpeg)
            .withLimits(
                policy.resolve(s3Connection.isDevStackDefault(), s3Connection.describe()),
                ffmpegOptions.maxMemory());

    // Checked before connecting, so a wrong port is reported at once.
    Optional<InetSocketAddress> metricsAddress = metricsOptions.endpoint();

    WorkerMetrics metrics = new WorkerMetrics();
    TemporalConnection connection =
        TemporalConnection.connect(
            temporal.clientConfig(console.environment()), metrics.sdkScope());
    SharedS3Clients s3Clients = SharedS3Clients.open(s3Connection);
    ConcatWorker worker =
        new ConcatWorker(
            connection.client(), config, s3Clients, metrics.jobs(), version, outputDefaults);
    // Up before the worker polls, so readiness is seen turning true; down last, so it is seen
    // turning false.
    Optional<MetricsServer> endpoints =
        metricsAddress.map(
            address -> MetricsServer.start(address, metrics::scrape, worker::isReady));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.shutdown();
                  s3Clients.close();
                  connection.close();
                  endpoints.ifPresent(MetricsServer::close);
                  metrics.close();
                  stopped.countDown();
                },
                "concat-worker-shutdown"));
    worker.start();
    console
        .err()
        .println(
            "worker "
                + config.identity()
                + " running: Temporal "
                + connection.address()
                + " namespace "
                + connection.namespace()
                + " ("
                + connection.security()
                + "), task queues "
                + config.taskQueue()
                + ", "
                + config.hostTaskQueue()
                + (config.chunkSlots() > 0
                    ? " and "
                        + config.chunkTaskQueue()
                        + " ("
                        + config.chunkSlots()
                        + " chunk slots)"
                    : " (no chunk slots)")
                + ", version "
                + worker.versionText()
                + ", S3 "
                + s3Connection.describe()
                + ", work dir "
                + config.activities().workDir()
                + ", ffmpeg "
                + ffmpeg.ffmpeg()
                + ", "
                + endpoints
                    .map(e -> "metrics and health on " + e.url())
                    .orElse("no metrics endpoint"));
    stopped.await();
    return 0;
  }
}
