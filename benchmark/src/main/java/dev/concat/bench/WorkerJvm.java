package dev.concat.bench;

import dev.concat.app.ConcatCli;
import dev.concat.app.s3.S3Connection;
import dev.concat.testkit.Executables;
import dev.concat.testkit.FreePorts;
import dev.concat.testkit.ProcessTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A concat worker in a JVM of its own, started as an operator starts one (the main class of {@code
 * java -jar concat.jar worker}) and configured by environment variables only, so its memory is its
 * own and not the benchmark's. Its stdout and stderr go to a log file.
 */
final class WorkerJvm implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("worker (\\S+) running: ");

  /** A cold JVM on a busy 2-core machine takes several seconds to connect and poll. */
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;

  private WorkerJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a worker with exactly {@code environment} (nothing inherited) and waits until it polls.
   */
  static WorkerJvm start(Map<String, String> environment, Path workDir, Path log) {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launch());
    command.addAll(List.of("worker", "--work-dir", workDir.toString()));
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(log.getParent());
      var builder =
          new ProcessBuilder(Executables.diesWithStartingThread(command))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      var worker = new WorkerJvm(process, log);
      try {
        worker.awaitRunning();
      } catch (RuntimeException e) {
        worker.close();
        throw e;
      }
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a worker: " + command, e);
    }
  }

  /** What an operator gives a worker: environment variables only, nothing inherited by accident. */
  static Map<String, String> environment(
      BenchStack stack, BenchSettings settings, String taskQueue) {
    Map<String, String> env = new LinkedHashMap<>();
    // JAVA_TOOL_OPTIONS too, so the worker can be profiled (a JFR recording, say) without other
    // changes.
    for (String inherited :
        List.of("PATH", "HOME", "LANG", "TMPDIR", "LD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS")) {
      Optional.ofNullable(System.getenv(inherited)).ifPresent(value -> env.put(inherited, value));
    }
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

  private void awaitRunning() {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (!RUNNING.matcher(logText()).find()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the worker exited " + process.exitValue() + " while starting; log " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the worker did not start polling within "
                + START_LIMIT.toSeconds()
                + " s; log "
                + log);
      }
      sleep(Duration.ofMillis(100));
    }
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  private String logText() {
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM, as a deploy stops it; SIGKILL for whatever is left after its shutdown grace. */
  @Override
  public void close() {
    ProcessTrees.stop(process, Duration.ofSeconds(15));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the worker to start", e);
    }
  }
}
