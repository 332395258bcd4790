package dev.concat.app.it;

import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every worker of a test class is told: where Temporal and S3 are, and its own task queue
 * (unique per class, so workers of other classes never pick up its jobs). Workers run from the
 * shaded jar, as an operator runs them.
 *
 * @param logDir where each worker's stdout and stderr go, one file per worker name
 */
public record WorkerEnvironment(
    String temporalAddress, String taskQueue, URI s3Endpoint, Path logDir) {

  /**
   * The environment of a worker process: only these and the basics, nothing inherited by accident.
   */
  Map<String, String> variables() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String inherited : new String[] {"PATH", "HOME", "LANG", "TMPDIR"}) {
      String value = System.getenv(inherited);
      if (value != null) {
        env.put(inherited, value);
      }
    }
    env.put("TEMPORAL_ADDRESS", temporalAddress);
    env.put("TEMPORAL_NAMESPACE", TemporalDevServer.NAMESPACE);
    env.put("CONCAT_TASK_QUEUE", taskQueue);
    env.put("S3_ENDPOINT", s3Endpoint.toString());
    env.put("S3_REGION", S3Fixture.REGION);
    env.put("AWS_ACCESS_KEY_ID", S3Fixture.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3Fixture.SECRET_KEY);
    // No instance-metadata lookups on a machine that is not in a cloud.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    // Anything the credentials reach, so a missing bucket is still MissingBucket; TrustBoundaryIT
    // narrows it.
    env.put("CONCAT_ALLOWED_INPUTS", "*");
    env.put("CONCAT_ALLOWED_OUTPUTS", "*");
    // Several workers share this machine; a test that scrapes one gives it a free port.
    env.put("CONCAT_METRICS_PORT", "0");
    return env;
  }

  /**
   * Starts {@code java -jar concat.jar worker --work-dir workDir}, logging to {@code
   * <logDir>/<name>.log}; {@code extraEnv} adds or overrides variables (FFMPEG_PATH,
   * CONCAT_SHUTDOWN_GRACE...).
   */
  WorkerJvm startWorker(String name, Path workDir, Map<String, String> extraEnv) {
    List<String> launch = new ArrayList<>(jvmOptions());
    launch.addAll(List.of("-jar", ItPaths.jar().toString()));
    Map<String, String> env = variables();
    env.putAll(extraEnv);
    return WorkerJvm.start(name, launch, workDir, env, logDir.resolve(name + ".log"));
  }

  /** -Dconcat.it.workerJvmOptions="-Xmx256m ..." passes options to every worker JVM. */
  private static List<String> jvmOptions() {
    String options = System.getProperty("concat.it.workerJvmOptions", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }
}
