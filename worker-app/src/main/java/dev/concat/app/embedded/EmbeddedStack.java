package dev.concat.app.embedded;

import dev.concat.activities.ActivitySettings;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.HostIdentity;
import dev.concat.app.config.PolicyOptions;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.app.temporal.ConcatWorker;
import dev.concat.app.temporal.TemporalClientConfig;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.app.temporal.WorkerConfig;
import dev.concat.contract.policy.OperatorPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Temporal, S3 and workers in one process, all on 127.0.0.1: what `concat demo` and `concat dev`
 * run. Temporal keeps its state in memory; S3 objects live under the data folder. Given the address
 * of a Temporal that is already running (such as `temporal server start-dev`, whose Web UI shows
 * the jobs), it uses that one instead of its own.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
  public static final String HOST = "127.0.0.1";
  public static final String BUCKET = "concat";

  /**
   * @param dataDir holds the S3 objects ({@code s3/}) and the workers' work files ({@code
   *     embedded-work/})
   * @param temporalPort the Temporal frontend's port
   * @param s3Port the S3 API's port
   * @param workers how many in-process workers to run; 0 runs only the servers
   * @param taskQueue the shared task queue
   * @param externalTemporal an existing Temporal frontend to use; null serves one in-process on
   *     {@code temporalPort}
   */
  public record Settings(
      Path dataDir,
      int temporalPort,
      int s3Port,
      int workers,
      String taskQueue,
      WorkerTuning tuning,
      FfmpegBinaries ffmpeg,
      TemporalClientConfig externalTemporal) {

    public Settings(
        Path dataDir,
        int temporalPort,
        int s3Port,
        int workers,
        String taskQueue,
        WorkerTuning tuning,
        FfmpegBinaries ffmpeg) {
      this(dataDir, temporalPort, s3Port, workers, taskQueue, tuning, ffmpeg, null);
    }
  }

  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<ConcatWorker> workers = new ArrayList<>();
  private LocalTemporalServer temporal;
  private EmbeddedS3Server s3;
  private TemporalConnection connection;
  private SharedS3Clients s3Clients;

  private EmbeddedStack() {}

  public static EmbeddedStack start(Settings settings) {
    EmbeddedStack stack = new EmbeddedStack();
    try {
      stack.startServers(settings);
      stack.startWorkers(settings);
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startServers(Settings settings) {
    TemporalClientConfig temporalConfig = settings.externalTemporal();
    if (temporalConfig == null) {
      temporal = LocalTemporalServer.start(HOST, settings.temporalPort());
      started.add(temporal);
      temporalConfig = TemporalClientConfig.plaintext(temporal.address());
    }
    try {
      s3 =
          EmbeddedS3Server.start(
              settings.dataDir().resolve("s3"),
              HOST,
              settings.s3Port(),
              S3Connection.DEV_ACCESS_KEY,
              S3Connection.DEV_SECRET_KEY);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "cannot serve S3 on "
              + HOST
              + ":"
              + settings.s3Port()
              + " (is another S3 server such as MinIO on that port?); choose another with --s3-port",
          e);
    }
    started.add(s3);
    connection = TemporalConnection.connect(temporalConfig);
    started.add(connection);
    s3Clients = SharedS3Clients.open(S3Connection.dev(s3.endpoint()));
    started.add(s3Clients);
    ensureBucket();
  }

  /**
   * The data folder outlives the process, so the bucket may already be there from an earlier run.
   */
  private void ensureBucket() {
    try {
      s3Clients.client().headBucket(head -> head.bucket(BUCKET));
    } catch (NoSuchBucketException e) {
      s3Clients.client().createBucket(create -> create.bucket(BUCKET));
    }
  }

  private void startWorkers(Settings settings) {
    HostIdentity host = HostIdentity.current();
    for (int i = 1; i <= settings.workers(); i++) {
      // Several workers in one process are several hosts: each has its own work directory and
      // identity.
      String identity =
          settings.workers() == 1 ? host.workerIdentity() : host.workerIdentity() + "/worker-" + i;
      Path workDir = settings.dataDir().resolve("embedded-work").resolve("worker-" + i);
      WorkerConfig config =
          WorkerConfig.of(
                  settings.taskQueue(),
                  workDir,
                  host,
                  identity,
                  settings.tuning(),
                  settings.ffmpeg())
              .withLimits(
                  OperatorPolicy.withLocations(
                      PolicyOptions.DEV_LOCATIONS, PolicyOptions.DEV_LOCATIONS),
                  ActivitySettings.DEFAULT_FFMPEG_MAX_MEMORY);
      ConcatWorker worker = new ConcatWorker(connection.client(), config, s3Clients);
      workers.add(worker);
      started.add(worker::shutdown);
      worker.start();
    }
  }

  public String temporalAddress() {
    return connection.address();
  }

  public String namespace() {
    return connection.namespace();
  }

  /** Whether Temporal runs in this process (and keeps its jobs in memory only). */
  public boolean servesTemporal() {
    return temporal != null;
  }

  public URI s3Endpoint() {
    return s3.endpoint();
  }

  public TemporalConnection connection() {
    return connection;
  }

  public SharedS3Clients s3Clients() {
    return s3Clients;
  }

  public List<ConcatWorker> workers() {
    return List.copyOf(workers);
  }

  /**
   * Stops what was started, newest first, so workers finish before the servers they talk to go
   * away.
   */
  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping the embedded stack: {}", e.toString());
      }
    }
    started.clear();
  }
}
