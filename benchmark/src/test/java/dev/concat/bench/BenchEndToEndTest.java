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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
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
    QuickRun run = quickBench("RESULTS.md", "A", "--repeat", "1", "--throughput-jobs", "2");

    assertEquals(0, run.exitCode(), run.log());
    assertReportHas(
        run.markdown(),
        List.of(
            "Quick data sets",
            "| A | 3 |",
            "| A | raw |",
            "| A | concat |",
            "| A (stream copy) | concat |",
            "| A: concat/raw ≤ 0.65 |",
            "| A (stream copy): end to end ≥ 1,000× realtime |",
            "| A: normalising to -16 LUFS adds ≤ 30 % to the encode's CPU |",
            "| history events per job |",
            "## Throughput: 2 jobs of set A",
            "| all submitted at once |"));
    assertTrue(
        Files.notExists(dataDir.resolve("bench-work")) || isEmpty(dataDir.resolve("bench-work")),
        "the run's S3 objects and work files are deleted");
  }

  /**
   * Set K's kill-and-resume run on its tiny version: the worker is killed and restarted, the killed
   * job completes, and the report has its section and target. In the soak run of .ci/run.
   */
  @Test
  @Tag("soak")
  @Timeout(300)
  void quickKillResumeRunKillsTheWorkerAndReportsTheBound() throws Exception {
    QuickRun run = quickBench("RESULTS-K.md", "K");

    assertEquals(0, run.exitCode(), run.log());
    assertTrue(run.log().contains("bench: K killed at"), run.log());
    String markdown = run.markdown();
    assertReportHas(
        markdown,
        List.of(
            "## Worker killed (kill -9) and restarted on the same host (set K)",
            "| unkilled |",
            "| killed at ",
            "| K: kill -9 at 70 %, same worker restarted: total ≤ unkilled + heartbeat timeout + 2"
                + " chunks |"));
    assertFalse(markdown.contains("| row | raw | concat |"), "no empty tables against raw");
    assertTrue(markdown.contains("durations match"), markdown);
  }

  /** What a quick bench run printed and wrote. */
  private record QuickRun(int exitCode, String log, String markdown) {}

  /** Runs {@code concat bench --quick --sets SET ...} on the in-process Temporal server. */
  private QuickRun quickBench(String reportName, String set, String... options) throws Exception {
    Path report = dataDir.resolve(reportName);
    List<String> args = new ArrayList<>(List.of("--quick", "--sets", set));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--temporal",
            "in-process",
            "--data-dir",
            dataDir.toString(),
            "--output",
            report.toString()));
    var out = new ByteArrayOutputStream();
    int exitCode;
    try (var stream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      var console =
          new ConcatCli.Console(stream, stream, Map.of("PATH", System.getenv("PATH")), false);
      exitCode = BenchCommand.run(console, args.toArray(String[]::new));
    }
    String log = out.toString(StandardCharsets.UTF_8);
    return new QuickRun(exitCode, log, Files.exists(report) ? Files.readString(report) : "");
  }

  private static void assertReportHas(String markdown, List<String> expected) {
    for (String line : expected) {
      assertTrue(markdown.contains(line), "the report lacks '" + line + "':\n" + markdown);
    }
  }

  private static boolean isEmpty(Path dir) throws Exception {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
