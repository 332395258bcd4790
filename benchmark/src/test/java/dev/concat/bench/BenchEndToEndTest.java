package dev.concat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.ConcatCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `concat bench` through its entry point on its tiny data sets: a real worker JVM, the raw way and
 * concat, the throughput run and the report. Only that it works; no timing is asserted.
 */
class BenchEndToEndTest {
  @TempDir Path dataDir;

  @Test
  @Timeout(300)
  void quickBenchWritesEveryTableOfTheReport() throws Exception {
    Path report = dataDir.resolve("RESULTS.md");
    var out = new ByteArrayOutputStream();
    int exitCode;
    try (var stream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      var console =
          new ConcatCli.Console(stream, stream, Map.of("PATH", System.getenv("PATH")), false);
      exitCode =
          BenchCommand.run(
              console,
              "--quick",
              "--sets",
              "A",
              "--repeat",
              "1",
              "--throughput-jobs",
              "2",
              "--temporal",
              "in-process",
              "--data-dir",
              dataDir.toString(),
              "--output",
              report.toString());
    }

    assertEquals(0, exitCode, out.toString(StandardCharsets.UTF_8));
    String markdown = Files.readString(report);
    for (String expected :
        List.of(
            "Quick data sets",
            "| A | 3 |",
            "| A | raw |",
            "| A | concat |",
            "| A (stream copy) | concat |",
            "| A: concat/raw ≤ 0.65 |",
            "| history events per job |",
            "## Throughput: 2 jobs of set A",
            "| all submitted at once |")) {
      assertTrue(markdown.contains(expected), "the report lacks '" + expected + "':\n" + markdown);
    }
    assertTrue(
        Files.notExists(dataDir.resolve("bench-work")) || isEmpty(dataDir.resolve("bench-work")),
        "the run's S3 objects and work files are deleted");
  }

  private static boolean isEmpty(Path dir) throws Exception {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
