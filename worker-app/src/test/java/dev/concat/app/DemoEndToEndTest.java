package dev.concat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `concat demo` through the CLI entry point, on its own embedded stack with free ports. */
class DemoEndToEndTest {
  @TempDir Path dataDir;

  @Test
  @Timeout(180)
  void demoJoinsTheSegmentsIntoOneFileAsLongAsTheirSum() throws Exception {
    CliRun run =
        CliRun.of(
            "demo",
            "--segments",
            "4",
            "--seconds",
            "2",
            "--data-dir",
            dataDir.toString(),
            "--temporal-port",
            "0",
            "--s3-port",
            "0");

    assertEquals(0, run.exitCode(), run.transcript());
    assertEquals(1, run.outLines().size(), run.transcript());
    JsonNode status = new ObjectMapper().readTree(run.outLines().get(0));
    assertEquals("COMPLETED", status.get("state").asText(), run.transcript());
    assertEquals(4, status.get("segmentsTotal").asInt());
    assertEquals(4, status.get("segmentsConcatenated").asInt());
    JsonNode result = status.get("result");
    assertEquals(8.0, result.get("durationSeconds").asDouble(), 0.1, run.transcript());
    assertTrue(run.err().contains("duration check passed"), run.transcript());

    String jobId = status.get("jobId").asText();
    Path output = dataDir.resolve("s3/concat/demo/" + jobId + ".mp3");
    assertEquals(result.get("sizeBytes").asLong(), Files.size(output), "the output object's size");
    assertTrue(
        Files.notExists(dataDir.resolve("s3/concat/concat-staging/" + jobId))
            || isEmpty(dataDir.resolve("s3/concat/concat-staging/" + jobId)),
        "staged segments are removed");
  }

  private static boolean isEmpty(Path dir) throws Exception {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
