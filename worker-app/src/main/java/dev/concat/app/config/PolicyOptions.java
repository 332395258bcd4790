package dev.concat.app.config;

import dev.concat.contract.policy.AllowedLocations;
import dev.concat.contract.policy.OperatorPolicy;
import dev.concat.contract.policy.PolicyChecks;
import picocli.CommandLine.Option;

/**
 * What any client that can start a job in the namespace may make this worker do: where jobs may
 * read and write, and ceilings on what a request may ask.
 */
public final class PolicyOptions {
  /** The dev stack's bucket, where jobs may read and write when the endpoint is the dev stack's. */
  public static final String DEV_LOCATIONS = "s3://concat/";

  @Option(
      names = "--allowed-inputs",
      paramLabel = "LOCATIONS",
      description =
          "Where segments and covers may be read: comma-separated s3://bucket/ or s3://bucket/prefix/, "
              + "or * for anything the credentials reach. Env CONCAT_ALLOWED_INPUTS; default: "
              + DEV_LOCATIONS
              + " with the dev stack's endpoint; required with any other.")
  private String allowedInputs;

  @Option(
      names = "--allowed-outputs",
      paramLabel = "LOCATIONS",
      description =
          "Where outputs may be written, as --allowed-inputs. Env CONCAT_ALLOWED_OUTPUTS; default: "
              + DEV_LOCATIONS
              + " with the dev stack's endpoint; required with any other.")
  private String allowedOutputs;

  @Option(
      names = "--max-segments",
      paramLabel = "N",
      defaultValue = "" + OperatorPolicy.DEFAULT_MAX_SEGMENTS,
      description = "Most segments in one job. Env CONCAT_MAX_SEGMENTS; default: ${DEFAULT-VALUE}.")
  private int maxSegments;

  @Option(
      names = "--max-input-bytes",
      paramLabel = "SIZE",
      defaultValue = "20GiB",
      converter = ByteSizeConverter.class,
      description =
          "Most bytes one job's segments may hold together. Env CONCAT_MAX_INPUT_BYTES; "
              + "default: ${DEFAULT-VALUE}.")
  private long maxInputBytes;

  @Option(
      names = "--max-decoded-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + OperatorPolicy.DEFAULT_MAX_DECODED_SECONDS,
      description =
          "Most audio one job's segments may hold together, as probed before any decode (a tiny FLAC "
              + "can hold hours). Env CONCAT_MAX_DECODED_SECONDS; default: ${DEFAULT-VALUE} (12 h).")
  private long maxDecodedSeconds;

  @Option(
      names = "--max-processing-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + OperatorPolicy.DEFAULT_MAX_PROCESSING_SECONDS,
      description =
          "Longest timeouts.maxProcessingSeconds a job may ask for. Env CONCAT_MAX_PROCESSING_SECONDS; "
              + "default: ${DEFAULT-VALUE} (24 h).")
  private long maxProcessingSeconds;

  @Option(
      names = "--max-heartbeat-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + OperatorPolicy.DEFAULT_MAX_HEARTBEAT_SECONDS,
      description =
          "Longest timeouts.heartbeatSeconds a job may ask for (how long a dead worker goes unnoticed). "
              + "Env CONCAT_MAX_HEARTBEAT_SECONDS; default: ${DEFAULT-VALUE}.")
  private long maxHeartbeatSeconds;

  @Option(
      names = "--max-host-attempts",
      paramLabel = "N",
      defaultValue = "" + OperatorPolicy.DEFAULT_MAX_HOST_ATTEMPTS,
      description =
          "Most timeouts.hostAttempts a job may ask for. Env CONCAT_MAX_HOST_ATTEMPTS; "
              + "default: ${DEFAULT-VALUE}.")
  private int maxHostAttempts;

  /**
   * The policy these options give.
   *
   * @param devEndpoint whether the S3 endpoint is the dev stack's default, where the locations
   *     default to its bucket; with any other endpoint both must be set
   * @throws IllegalArgumentException saying what to set or what is wrong with a setting
   */
  public OperatorPolicy resolve(boolean devEndpoint, String endpoint) {
    if (!devEndpoint && (allowedInputs == null || allowedOutputs == null)) {
      throw new IllegalArgumentException(
          "with S3 endpoint "
              + endpoint
              + ", say where jobs may read and write: set "
              + PolicyChecks.ALLOWED_INPUTS
              + " and "
              + PolicyChecks.ALLOWED_OUTPUTS
              + " to comma-separated s3://bucket/ or s3://bucket/prefix/ entries (or * for anything the credentials reach)");
    }
    String inputs = allowedInputs == null ? DEV_LOCATIONS : allowedInputs;
    String outputs = allowedOutputs == null ? DEV_LOCATIONS : allowedOutputs;
    parse(inputs, PolicyChecks.ALLOWED_INPUTS);
    parse(outputs, PolicyChecks.ALLOWED_OUTPUTS);
    positive(maxSegments, PolicyChecks.MAX_SEGMENTS);
    positive(maxInputBytes, PolicyChecks.MAX_INPUT_BYTES);
    positive(maxDecodedSeconds, PolicyChecks.MAX_DECODED_SECONDS);
    positive(maxProcessingSeconds, PolicyChecks.MAX_PROCESSING_SECONDS);
    positive(maxHeartbeatSeconds, PolicyChecks.MAX_HEARTBEAT_SECONDS);
    positive(maxHostAttempts, PolicyChecks.MAX_HOST_ATTEMPTS);
    return new OperatorPolicy(
        inputs,
        outputs,
        maxSegments,
        maxInputBytes,
        maxDecodedSeconds,
        maxProcessingSeconds,
        maxHeartbeatSeconds,
        maxHostAttempts);
  }

  private static void parse(String locations, String setting) {
    try {
      AllowedLocations.parse(locations);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " " + e.getMessage(), e);
    }
  }

  private static void positive(long value, String setting) {
    if (value < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1, not " + value);
    }
  }
}
