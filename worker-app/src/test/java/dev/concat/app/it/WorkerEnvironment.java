package dev.concat.app.it;

import dev.concat.testkit.TemporalDevServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every worker of a test class is told: where Temporal and S3 are, and its own task queue
 * (unique per class, so workers of other classes never pick up its jobs).
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
}
