package dev.concat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker against a real store must be told where jobs may read and write before it starts. */
@Timeout(60)
class WorkerStartupPolicyTest {

  @Test
  void aWorkerAgainstAnotherEndpointRefusesToStartWithoutBothLocations() {
    CliRun run =
        CliRun.of(
            "worker",
            "--s3-endpoint",
            "https://minio.internal:9000",
            "--metrics-port",
            "0",
            "--allowed-inputs",
            "s3://raw/");

    assertEquals(ExitCodes.USAGE, run.exitCode(), run.transcript());
    assertTrue(
        run.err()
            .contains(
                "set CONCAT_ALLOWED_INPUTS (--allowed-inputs) and CONCAT_ALLOWED_OUTPUTS "
                    + "(--allowed-outputs)"),
        run.transcript());
  }
}
