package dev.concat.app.config;

import static java.util.Map.entry;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fills an option missing from the command line from its environment variable, so every setting is
 * both a flag and a variable, and flags win. An empty variable counts as unset.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

  /**
   * Every environment variable the CLI reads, keyed by the long option it backs. The connection's
   * variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_PROFILE, TEMPORAL_TLS*,
   * TEMPORAL_API_KEY...) are read by the SDK's environment configuration instead: see
   * TemporalOptions.
   */
  public static final Map<String, String> VARIABLES =
      Map.ofEntries(
          entry("--task-queue", "CONCAT_TASK_QUEUE"),
          entry("--s3-endpoint", "S3_ENDPOINT"),
          entry("--s3-region", "S3_REGION"),
          entry("--s3-path-style", "S3_PATH_STYLE"),
          entry("--s3-checksums", "S3_CHECKSUMS"),
          entry("--s3-expected-bucket-owner", "S3_EXPECTED_BUCKET_OWNER"),
          entry("--output-cache-control", "CONCAT_OUTPUT_CACHE_CONTROL"),
          entry("--output-content-disposition", "CONCAT_OUTPUT_CONTENT_DISPOSITION"),
          entry("--output-storage-class", "CONCAT_OUTPUT_STORAGE_CLASS"),
          entry("--output-encryption", "CONCAT_OUTPUT_ENCRYPTION"),
          entry("--output-kms-key-id", "CONCAT_OUTPUT_KMS_KEY_ID"),
          entry("--output-tags", "CONCAT_OUTPUT_TAGS"),
          entry("--output-metadata", "CONCAT_OUTPUT_METADATA"),
          entry("--work-dir", "CONCAT_WORK_DIR"),
          entry("--max-concurrent-jobs", "CONCAT_MAX_CONCURRENT_JOBS"),
          entry("--download-parallelism", "CONCAT_DOWNLOAD_PARALLELISM"),
          entry("--progress-interval", "CONCAT_PROGRESS_INTERVAL"),
          entry("--kill-grace", "CONCAT_KILL_GRACE"),
          entry("--shutdown-grace", "CONCAT_SHUTDOWN_GRACE"),
          entry("--sweep-interval", "CONCAT_SWEEP_INTERVAL"),
          entry("--chunk-min-seconds", "CONCAT_CHUNK_MIN_SECONDS"),
          entry("--m4a-chunk-min-seconds", "CONCAT_M4A_CHUNK_MIN_SECONDS"),
          entry("--chunk-spread", "CONCAT_CHUNK_SPREAD"),
          entry("--chunk-run-seconds", "CONCAT_CHUNK_RUN_SECONDS"),
          entry("--chunk-cache-mib", "CONCAT_CHUNK_CACHE_MIB"),
          entry("--chunk-slots", "CONCAT_CHUNK_SLOTS"),
          entry("--metrics-port", "CONCAT_METRICS_PORT"),
          entry("--metrics-host", "CONCAT_METRICS_HOST"),
          entry("--ffmpeg", "FFMPEG_PATH"),
          entry("--ffprobe", "FFPROBE_PATH"),
          entry("--deployment-name", "TEMPORAL_DEPLOYMENT_NAME"),
          entry("--build-id", "TEMPORAL_WORKER_BUILD_ID"),
          entry("--ffmpeg-max-memory", "CONCAT_FFMPEG_MAX_MEMORY"),
          entry("--allowed-inputs", "CONCAT_ALLOWED_INPUTS"),
          entry("--allowed-outputs", "CONCAT_ALLOWED_OUTPUTS"),
          entry("--max-segments", "CONCAT_MAX_SEGMENTS"),
          entry("--max-input-bytes", "CONCAT_MAX_INPUT_BYTES"),
          entry("--max-decoded-seconds", "CONCAT_MAX_DECODED_SECONDS"),
          entry("--max-processing-seconds", "CONCAT_MAX_PROCESSING_SECONDS"),
          entry("--max-heartbeat-seconds", "CONCAT_MAX_HEARTBEAT_SECONDS"),
          entry("--max-host-attempts", "CONCAT_MAX_HOST_ATTEMPTS"));

  private final Map<String, String> environment;

  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option)) {
      return null;
    }
    String variable = VARIABLES.get(option.longestName());
    String value = variable == null ? null : environment.get(variable);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
