package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.config.S3Options;
import dev.concat.app.config.TemporalOptions;
import dev.concat.app.jobs.JobSubmission;
import dev.concat.app.jobs.Manifests;
import dev.concat.app.jobs.SubmitPlan;
import dev.concat.app.progress.BarFriendlyLogging;
import dev.concat.app.s3.LazyS3Clients;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.JobTimeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts a job whose workflow id is the job id. Submitting the id of a running or completed job starts "
          + "nothing (a failed or cancelled job may be submitted again).",
      "Segments (and the cover) are s3://bucket/key URIs or local files; local files are first uploaded to "
          + "s3://<output bucket>/concat-staging/<job id>/.",
      "The audio options are off, or at their defaults, unless given here or in the manifest."
    })
public final class SubmitCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private TemporalOptions temporal;
  @Mixin private S3Options s3;

  @Option(names = "--job-id", paramLabel = "ID", description = "The job id (also the workflow id).")
  private String jobId;

  @Option(
      names = "--output",
      paramLabel = "s3://BUCKET/KEY",
      description = "Where the joined file goes: .mp3 or .m4a.")
  private String output;

  @Option(
      names = "--allow-stream-copy",
      description =
          "Join without re-encoding when every input matches the output (MP3 copy leaves short gaps at joins).")
  private Boolean allowStreamCopy;

  @Option(
      names = "--max-processing-minutes",
      paramLabel = "M",
      description = "Fail the job after this long (default 60).")
  private Long maxProcessingMinutes;

  @Option(
      names = "--overwrite",
      description =
          "Replace an object already at the output key that this job did not write (without it the job "
              + "fails with OutputExists before downloading).")
  private boolean overwrite;

  @Mixin private AudioOptions audio;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description =
          "A JSON job with the fields jobId, segments, output, allowStreamCopy, timeouts, encoding, "
              + "loudness, trimSilence, gapMs, crossfadeMs, metadata, chapters, overwrite, outputObject; flags override it, and local paths in it "
              + "are relative to its folder.")
  private Path manifest;

  @Option(
      names = "--wait",
      description = "Show progress until the job ends, then print its status as JSON on stdout.")
  private boolean wait;

  @Parameters(paramLabel = "SEGMENT", arity = "0..*", description = "Segments in playing order.")
  private List<String> segments;

  @Override
  public Integer call() throws Exception {
    ConcatCli.Console console = cli.console();
    BarFriendlyLogging.apply(console.terminal(), console.environment());
    SubmitPlan plan = plan();
    // Before connecting: a bad request is reported even when Temporal or S3 is unreachable.
    if (!plan.problems().isEmpty()) {
      plan.problems().forEach(problem -> console.err().println("invalid request: " + problem));
      return ExitCodes.USAGE;
    }
    try (LazyS3Clients s3Clients =
            new LazyS3Clients(S3Connection.resolve(s3, console.environment()));
        TemporalConnection connection =
            TemporalConnection.connect(temporal.clientConfig(console.environment()))) {
      JobSubmission submission =
          new JobSubmission(
              connection.client(),
              temporal.taskQueue(),
              s3Clients::get,
              console.out(),
              console.err(),
              console.terminal());
      return submission.submit(plan, wait);
    }
  }

  /** The job these flags and the manifest describe, its local files to stage, and its problems. */
  SubmitPlan plan() {
    Path baseDir =
        manifest == null ? Path.of("").toAbsolutePath() : manifest.toAbsolutePath().getParent();
    return SubmitPlan.of(request(), baseDir);
  }

  /**
   * The request these flags and the manifest describe, built once: each flag given replaces its
   * field of the manifest, and the manifest's other fields stand.
   */
  ConcatRequest request() {
    ConcatRequest manifested =
        manifest == null ? ConcatRequest.builder(null).build() : Manifests.read(manifest);
    ConcatRequest.Builder request =
        manifested.toBuilder()
            .jobId(jobId != null ? jobId : manifested.jobId())
            .segments(segments != null && !segments.isEmpty() ? segments : manifested.segments())
            .output(output != null ? output : manifested.output())
            .allowStreamCopy(
                allowStreamCopy != null ? allowStreamCopy : manifested.allowStreamCopy())
            .timeouts(timeouts(manifested.timeouts()))
            .overwrite(overwrite ? Boolean.TRUE : manifested.overwrite());
    audio.applyTo(manifested, request);
    return request.build();
  }

  private JobTimeouts timeouts(JobTimeouts manifested) {
    if (maxProcessingMinutes == null) {
      return manifested;
    }
    JobTimeouts t =
        manifested == null ? new JobTimeouts(null, null, null, null, null, null, null) : manifested;
    return new JobTimeouts(
        maxProcessingMinutes * 60,
        t.heartbeatSeconds(),
        t.downloadSeconds(),
        t.concatSeconds(),
        t.uploadSeconds(),
        t.hostScheduleToStartSeconds(),
        t.hostAttempts());
  }
}
