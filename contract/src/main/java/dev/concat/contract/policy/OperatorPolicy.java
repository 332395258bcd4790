package dev.concat.contract.policy;

/**
 * What operators allow any job, whoever started it: the S3 locations it may read and write, and
 * ceilings on what a request may ask. A worker's flags and environment set it; the workflow records
 * it once per job in its history, so replays decide as the first run did.
 *
 * @param allowedInputs where segments and covers may come from ({@link AllowedLocations} syntax)
 * @param allowedOutputs where outputs may go
 * @param maxSegments the most segments one job may have
 * @param maxInputBytes the most bytes one job's segments may hold together
 * @param maxDecodedSeconds the most audio one job's segments may decode to, in seconds
 * @param maxProcessingSeconds the longest {@code timeouts.maxProcessingSeconds} a job may ask for
 * @param maxHeartbeatSeconds the longest {@code timeouts.heartbeatSeconds} a job may ask for
 * @param maxHostAttempts the most {@code timeouts.hostAttempts} a job may ask for
 */
public record OperatorPolicy(
    String allowedInputs,
    String allowedOutputs,
    int maxSegments,
    long maxInputBytes,
    long maxDecodedSeconds,
    long maxProcessingSeconds,
    long maxHeartbeatSeconds,
    int maxHostAttempts) {

  /** The ceilings' defaults, documented in the README and the worker's help. */
  public static final int DEFAULT_MAX_SEGMENTS = 20_000;

  public static final long DEFAULT_MAX_INPUT_BYTES = 20L << 30;
  public static final long DEFAULT_MAX_DECODED_SECONDS = 12 * 3600;
  public static final long DEFAULT_MAX_PROCESSING_SECONDS = 24 * 3600;
  public static final long DEFAULT_MAX_HEARTBEAT_SECONDS = 300;
  public static final int DEFAULT_MAX_HOST_ATTEMPTS = 10;

  /**
   * Anywhere, with the default ceilings: for code that runs activities without a worker's settings.
   */
  public static OperatorPolicy anywhere() {
    return withLocations(AllowedLocations.ANYWHERE, AllowedLocations.ANYWHERE);
  }

  public static OperatorPolicy withLocations(String inputs, String outputs) {
    return new OperatorPolicy(
        inputs,
        outputs,
        DEFAULT_MAX_SEGMENTS,
        DEFAULT_MAX_INPUT_BYTES,
        DEFAULT_MAX_DECODED_SECONDS,
        DEFAULT_MAX_PROCESSING_SECONDS,
        DEFAULT_MAX_HEARTBEAT_SECONDS,
        DEFAULT_MAX_HOST_ATTEMPTS);
  }

  public AllowedLocations inputs() {
    return AllowedLocations.parse(allowedInputs);
  }

  public AllowedLocations outputs() {
    return AllowedLocations.parse(allowedOutputs);
  }
}
