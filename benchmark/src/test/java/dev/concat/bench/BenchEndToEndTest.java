package dev.concat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /**
   * Set K's kill-and-resume run on its tiny version: the worker is killed and restarted, the killed
   * job completes, and the report has its section and target.
   */
  @Test
  @Timeout(300)
  void quickKillResumeRunKillsTheWorkerAndReportsTheBound() throws Exception {
    Path report = dataDir.resolve("RESULTS-K.md");
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
              "K",
              "--temporal",
              "in-process",
              "--data-dir",
              dataDir.toString(),
              "--output",
              report.toString());
    }

    String log = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exitCode, log);
    assertTrue(log.contains("bench: K killed at"), log);
    String markdown = Files.readString(report);
    for (String expected :
        List.of(
            "## Worker killed (kill -9) and restarted on the same host (set K)",
            "| unkilled |",
            "| killed at ",
            "| K: kill -9 at 70 %, same worker restarted: total ≤ unkilled + heartbeat timeout + 2"
                + " chunks |")) {
      assertTrue(markdown.contains(expected), "the report lacks '" + expected + "':\n" + markdown);
    }
    assertFalse(markdown.contains("| row | raw | concat |"), "no empty tables against raw");
    assertTrue(markdown.contains("durations match"), markdown);
  }

  private static boolean isEmpty(Path dir) throws Exception {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
