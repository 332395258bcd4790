package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.config.EmbeddedOptions;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.FfmpegOptions;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.embedded.EmbeddedStack;
import dev.concat.app.embedded.SampleSegments;
import dev.concat.app.jobs.JobReport;
import dev.concat.app.jobs.JobSubmission;
import dev.concat.app.jobs.SubmitPlan;
import dev.concat.app.progress.BarFriendlyLogging;
import dev.concat.app.progress.ProgressView;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Starts the embedded stack, generates sample segments with FFmpeg, joins them as a job with a live "
            + "progress bar, prints the final status as one JSON line on stdout and checks the output's duration. "
            + "Exits non-zero if the job fails.")
public final class DemoCommand implements Callable<Integer> {
  /** How far the output's measured duration may be from the sum of the inputs. */
  static final double DURATION_TOLERANCE_SECONDS = 0.1;

  @ParentCommand private ConcatCli cli;
  @Mixin private EmbeddedOptions embedded;
  @Mixin private WorkerTuning tuning;
  @Mixin private FfmpegOptions ffmpegOptions;

  @Option(
      names = "--segments",
      paramLabel = "N",
      defaultValue = "100",
      description = "How many sample segments. Default: ${DEFAULT-VALUE}.")
  private int segments;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "24",
      description = "Length of each sample segment in seconds. Default: ${DEFAULT-VALUE}.")
  private int seconds;

  @Override
  public Integer call() throws Exception {
    if (segments < 1 || seconds < 1) {
      throw new IllegalArgumentException("--segments and --seconds must be at least 1");
    }
    ConcatCli.Console console = cli.console();
    BarFriendlyLogging.apply(console.terminal(), console.environment());
    FfmpegBinaries ffmpeg = FfmpegBinaries.locate(ffmpegOptions, console.environment().get("PATH"));
    List<Path> files;
    try (ProgressView view = ProgressView.on(console.err(), console.terminal(), "samples")) {
      files =
          SampleSegments.ensure(
              ffmpeg, embedded.dataDir().resolve("samples"), segments, seconds, view);
    }
    try (EmbeddedStack stack =
        EmbeddedStack.start(
            new EmbeddedStack.Settings(
                embedded.dataDir(),
                embedded.temporalPort(),
                embedded.s3Port(),
                1,
                embedded.taskQueue(),
                tuning,
                ffmpeg))) {
      String jobId =
          "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      List<String> segmentPaths = files.stream().map(Path::toString).toList();
      ConcatRequest request =
          ConcatRequest.builder(jobId)
              .segments(segmentPaths)
              .output("s3://" + EmbeddedStack.BUCKET + "/demo/" + jobId + ".mp3")
              .build();
      console
          .err()
          .println(
              "demo: "
                  + segments
                  + " segments of "
                  + seconds
                  + " s on Temporal "
                  + stack.temporalAddress()
                  + " and S3 "
                  + stack.s3Endpoint());
      ConcatStatus status =
          new JobSubmission(
                  stack.connection().client(),
                  embedded.taskQueue(),
                  stack::s3Clients,
                  console.out(),
                  console.err(),
                  console.terminal())
              .submitAndFollow(SubmitPlan.of(request, Path.of("")));
      int exit = JobReport.print(status, console.out(), console.err());
      return status.state() == JobState.COMPLETED ? checkDuration(status, console) : exit;
    }
  }

  private int checkDuration(ConcatStatus status, ConcatCli.Console console) {
    double expected = (double) segments * seconds;
    double actual = status.result().durationSeconds();
    boolean close = Math.abs(actual - expected) <= DURATION_TOLERANCE_SECONDS;
    console
        .err()
        .println(
            String.format(
                Locale.ROOT,
                "duration check %s: output %.3f s, inputs %d x %d s = %.1f s (tolerance %.1f s)",
                close ? "passed" : "FAILED",
                actual,
                segments,
                seconds,
                expected,
                DURATION_TOLERANCE_SECONDS));
    return close ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
