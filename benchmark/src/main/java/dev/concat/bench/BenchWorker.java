package dev.concat.bench;

import dev.concat.app.ConcatCli;
import dev.concat.app.s3.S3Connection;
import dev.concat.testkit.FreePorts;
import dev.concat.testkit.WorkerJvm;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the bench starts its concat worker: in a JVM of its own (memory its own, not the
 * benchmark's), from the jar that holds ConcatCli, configured by environment variables only.
 */
final class BenchWorker {

  /** A cold JVM on a busy 2-core machine takes several seconds to connect and poll. */
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  /** How long a worker may take to shut down after SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /** Starts a worker and waits until it polls {@code taskQueue}. */
  static WorkerJvm start(
      BenchStack stack, BenchSettings settings, String taskQueue, Path workDir, Path log) {
    return start(stack, settings, taskQueue, workDir, log, Map.of());
  }

  /**
   * Starts a worker configured as the others, but for {@code overrides} (one scenario's settings),
   * and waits until it polls {@code taskQueue}.
   */
  static WorkerJvm start(
      BenchStack stack,
      BenchSettings settings,
      String taskQueue,
      Path workDir,
      Path log,
      Map<String, String> overrides) {
    Map<String, String> env = environment(stack, settings, taskQueue);
    env.putAll(overrides);
    WorkerJvm worker = WorkerJvm.start("bench", launch(), workDir, env, log);
    try {
      worker.awaitRunning(START_LIMIT);
    } catch (RuntimeException e) {
      worker.stop(STOP_GRACE);
      throw e;
    }
    return worker;
  }

  /** What an operator gives a worker: environment variables only, nothing inherited by accident. */
  private static Map<String, String> environment(
      BenchStack stack, BenchSettings settings, String taskQueue) {
    Map<String, String> env = new LinkedHashMap<>();
    // JAVA_TOOL_OPTIONS too, so the worker can be profiled (a JFR recording, say) without other
    // changes, and CONCAT_CHUNK_MIN_SECONDS and CONCAT_CHUNK_SPREAD, so the chunked encode, spread
    // or on the host's cores, can be measured against the default.
    for (String inherited :
        List.of(
            "PATH",
            "HOME",
            "LANG",
            "TMPDIR",
            "LD_LIBRARY_PATH",
            "JAVA_TOOL_OPTIONS",
            "CONCAT_CHUNK_MIN_SECONDS",
            "CONCAT_CHUNK_SPREAD")) {
      Optional.ofNullable(System.getenv(inherited)).ifPresent(value -> env.put(inherited, value));
    }
    // Every run encodes: the same job run again on one worker would find the chunks the first
    // kept (a resubmission, which the bench does not measure).
    env.put("CONCAT_CHUNK_CACHE_MIB", "0");
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("TEMPORAL_NAMESPACE", "default");
    // The bench's own plaintext server: TLS and an API key of a temporal.toml in HOME do not apply.
    env.put("TEMPORAL_TLS", "false");
    env.put("TEMPORAL_API_KEY", "");
    env.put("CONCAT_TASK_QUEUE", taskQueue);
    env.put("S3_ENDPOINT", stack.s3Endpoint().toString());
    env.put("S3_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3Connection.DEV_ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3Connection.DEV_SECRET_KEY);
    // No instance-metadata lookups on a machine that is not in a cloud.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    // The embedded S3 listens on a free port, not the dev stack's, so the worker is told its
    // bucket.
    env.put("CONCAT_ALLOWED_INPUTS", BenchStack.LOCATIONS);
    env.put("CONCAT_ALLOWED_OUTPUTS", BenchStack.LOCATIONS);
    env.put("CONCAT_MAX_CONCURRENT_JOBS", String.valueOf(settings.jobSlots()));
    env.put("CONCAT_DOWNLOAD_PARALLELISM", String.valueOf(settings.downloadParallelism()));
    env.put("FFMPEG_PATH", settings.ffmpeg().ffmpeg().toString());
    env.put("FFPROBE_PATH", settings.ffmpeg().ffprobe().toString());
    // Metrics on, as a deployed worker has them, on a port nobody else uses.
    env.put("CONCAT_METRICS_HOST", BenchStack.HOST);
    env.put("CONCAT_METRICS_PORT", String.valueOf(FreePorts.pick()));
    return env;
  }

  /**
   * ConcatCli from the jar that holds it (concat.jar, or concat-bench.jar, whose own main is the
   * bench), else from this JVM's class path (tests).
   */
  private static List<String> launch() {
    String classPath = System.getProperty("java.class.path");
    try {
      Path source =
          Path.of(ConcatCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
        classPath = source.toString();
      }
    } catch (URISyntaxException | SecurityException e) {
      // Fall through to the class path.
    }
    return List.of("-cp", classPath, ConcatCli.class.getName());
  }

  private BenchWorker() {}
}
