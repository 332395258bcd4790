package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.policy.OperatorPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where a worker lets jobs read and write, and its ceilings, from flags and environment. */
class PolicyOptionsTest {

  private static PolicyOptions parse(Map<String, String> environment, String... args) {
    PolicyOptions options = new PolicyOptions();
    new CommandLine(options)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(args);
    return options;
  }

  @Test
  void theDevStacksEndpointDefaultsToItsBucketAndTheDocumentedCeilings() {
    OperatorPolicy policy = parse(Map.of()).resolve(true, "http://127.0.0.1:9000");

    assertEquals(OperatorPolicy.withLocations("s3://concat/", "s3://concat/"), policy);
    assertEquals(20_000, policy.maxSegments());
    assertEquals(20L << 30, policy.maxInputBytes());
    assertEquals(10, policy.maxHostAttempts());
  }

  @Test
  void anyOtherEndpointRefusesToStartWithoutBothLocationsAndSaysWhatToSet() {
    var none =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse(Map.of()).resolve(false, "https://s3.eu-west-1.amazonaws.com"));
    var one =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse(Map.of("CONCAT_ALLOWED_INPUTS", "s3://shows/")).resolve(false, "AWS S3"));

    for (var error : new IllegalArgumentException[] {none, one}) {
      assertTrue(
          error.getMessage().contains("CONCAT_ALLOWED_INPUTS (--allowed-inputs)"),
          error.getMessage());
      assertTrue(
          error.getMessage().contains("CONCAT_ALLOWED_OUTPUTS (--allowed-outputs)"),
          error.getMessage());
    }
  }

  @Test
  void flagsAndVariablesSetLocationsAndCeilings() {
    OperatorPolicy policy =
        parse(
                Map.of(
                    "CONCAT_ALLOWED_INPUTS",
                    "s3://raw/show-a/, s3://raw/show-b/",
                    "CONCAT_MAX_INPUT_BYTES",
                    "512MiB",
                    "CONCAT_MAX_HOST_ATTEMPTS",
                    "4"),
                "--allowed-outputs",
                "*",
                "--max-heartbeat-seconds",
                "30")
            .resolve(false, "AWS S3");

    assertEquals("s3://raw/show-a/, s3://raw/show-b/", policy.allowedInputs());
    assertEquals("*", policy.allowedOutputs());
    assertEquals(512L << 20, policy.maxInputBytes());
    assertEquals(4, policy.maxHostAttempts());
    assertEquals(30, policy.maxHeartbeatSeconds());
  }

  @Test
  void aMalformedLocationOrCeilingIsRefusedNamingItsSetting() {
    var bucketOnly =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                parse(Map.of(), "--allowed-inputs", "s3://raw", "--allowed-outputs", "*")
                    .resolve(false, "AWS S3"));
    var zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse(Map.of(), "--max-host-attempts", "0").resolve(true, "dev"));

    assertTrue(
        bucketOnly
            .getMessage()
            .startsWith("CONCAT_ALLOWED_INPUTS (--allowed-inputs) entry 's3://raw'"),
        bucketOnly.getMessage());
    assertTrue(
        zero.getMessage()
            .startsWith("CONCAT_MAX_HOST_ATTEMPTS (--max-host-attempts) must be at least 1"),
        zero.getMessage());
  }
}
