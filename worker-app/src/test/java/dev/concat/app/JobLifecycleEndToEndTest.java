package dev.concat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.app.config.EnvironmentDefaults;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.FfmpegOptions;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.embedded.EmbeddedStack;
import dev.concat.app.embedded.SampleSegments;
import dev.concat.app.jobs.JobStatusReader;
import dev.concat.app.progress.ProgressView;
import dev.concat.app.s3.S3Connection;
import dev.concat.contract.JobState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * submit, status, resubmission and cancel through the CLI entry points, against one embedded stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class JobLifecycleEndToEndTest {
  private Path dataDir;
  private EmbeddedStack stack;
  private List<Path> shortSegments;
  private List<Path> longSegments;

  @BeforeAll
  void startStack(@TempDir Path dir) throws Exception {
    dataDir = dir;
    // The stack's S3 is on a free port, not the dev endpoint, so the CLI signs with the key it
    // is given, as an operator would give it; the dev key is only for the dev endpoint.
    System.setProperty("aws.accessKeyId", S3Connection.DEV_ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Connection.DEV_SECRET_KEY);
    FfmpegOptions ffmpegOptions = new FfmpegOptions();
    WorkerTuning tuning = new WorkerTuning();
    for (Object options : List.of(ffmpegOptions, tuning)) {
      new CommandLine(options)
          .setDefaultValueProvider(new EnvironmentDefaults(CliRun.ENVIRONMENT))
          .parseArgs();
    }
    FfmpegBinaries ffmpeg = FfmpegBinaries.locate(ffmpegOptions, System.getenv("PATH"));
    try (ProgressView quiet =
        ProgressView.on(new PrintStream(OutputStream.nullOutputStream()), false, "samples")) {
      shortSegments = SampleSegments.ensure(ffmpeg, dataDir.resolve("samples"), 2, 2, quiet);
      // Long enough (9 minutes of audio) that FFmpeg is still running when the cancellation
      // arrives.
      longSegments = SampleSegments.ensure(ffmpeg, dataDir.resolve("samples"), 3, 180, quiet);
    }
    Files.createDirectories(leftoverJobDir());
    Files.writeString(leftoverJobDir().resolve("segment-0.mp3"), "left by a killed worker");
    stack =
        EmbeddedStack.start(new EmbeddedStack.Settings(dataDir, 0, 0, 1, "concat", tuning, ffmpeg));
  }

  /** Where the in-process worker keeps job "gone-job", which no Temporal server knows. */
  private Path leftoverJobDir() {
    return dataDir.resolve("embedded-work/worker-1/jobs/gone-job");
  }

  @AfterAll
  void stopStack() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (stack != null) {
      stack.close();
    }
  }

  private CliRun cli(String command, String... args) {
    List<String> all =
        new ArrayList<>(List.of(command, "--temporal-address", stack.temporalAddress()));
    if (command.equals("submit")) {
      all.addAll(List.of("--s3-endpoint", stack.s3Endpoint().toString()));
    }
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertEquals(1, run.outLines().size(), run.transcript());
    return new ObjectMapper().readTree(run.outLines().get(0));
  }

  private String runId(String jobId) {
    return stack
        .connection()
        .client()
        .newUntypedWorkflowStub(jobId)
        .describe()
        .getExecution()
        .getRunId();
  }

  @Test
  void aSubmittedJobCompletesAndIsNeverRunTwice() throws Exception {
    CliRun submit =
        cli(
            "submit",
            "--job-id",
            "e2e-ok",
            "--output",
            "s3://concat/out/e2e-ok.mp3",
            "--wait",
            shortSegments.get(0).toString(),
            shortSegments.get(1).toString());
    assertEquals(0, submit.exitCode(), submit.transcript());
    assertEquals("COMPLETED", json(submit).get("state").asText());
    assertEquals(4.0, json(submit).get("result").get("durationSeconds").asDouble(), 0.1);
    assertTrue(Files.size(dataDir.resolve("s3/concat/out/e2e-ok.mp3")) > 0);

    CliRun status = cli("status", "e2e-ok", "--json");
    assertEquals(0, status.exitCode(), status.transcript());
    assertEquals("COMPLETED", json(status).get("state").asText());
    assertEquals("s3://concat/out/e2e-ok.mp3", json(status).get("result").get("output").asText());

    String firstRun = runId("e2e-ok");
    CliRun again =
        cli(
            "submit",
            "--job-id",
            "e2e-ok",
            "--output",
            "s3://concat/out/e2e-ok.mp3",
            shortSegments.get(0).toString(),
            shortSegments.get(1).toString());
    assertEquals(0, again.exitCode(), again.transcript());
    assertTrue(again.err().contains("already completed; not running it again"), again.transcript());
    assertEquals(firstRun, runId("e2e-ok"), "no second execution");
  }

  @Test
  void cancellingARunningJobStopsFfmpegAndLeavesNothingBehind() throws Exception {
    CliRun submit =
        cli(
            "submit",
            "--job-id",
            "e2e-cancel",
            "--output",
            "s3://concat/out/e2e-cancel.mp3",
            longSegments.get(0).toString(),
            longSegments.get(1).toString(),
            longSegments.get(2).toString());
    assertEquals(0, submit.exitCode(), submit.transcript());
    awaitState("e2e-cancel", JobState.CONCATENATING);

    CliRun cancel = cli("cancel", "e2e-cancel", "--wait");

    assertEquals(0, cancel.exitCode(), cancel.transcript());
    assertEquals("CANCELLED", json(cancel).get("state").asText());
    assertFalse(
        Files.exists(dataDir.resolve("s3/concat/out/e2e-cancel.mp3")), "nothing is uploaded");
    Path jobDir = stack.workers().get(0).config().activities().workDir().resolve("jobs/e2e-cancel");
    assertFalse(Files.exists(jobDir), "the job's work directory is deleted");
    assertEquals(List.of(), ffmpegChildren(), "no FFmpeg keeps running");
  }

  @Test
  void aStartingWorkerDeletesWorkLeftForJobsThatAreNotRunning() {
    assertFalse(Files.exists(leftoverJobDir()));
  }

  @Test
  void unknownJobsAndInvalidRequestsAreReportedClearly() {
    CliRun status = cli("status", "no-such-job");
    assertEquals(ExitCodes.FAILED, status.exitCode(), status.transcript());
    assertTrue(status.err().contains("no job with id 'no-such-job'"), status.transcript());

    CliRun submit =
        cli("submit", "--job-id", "bad", "--output", "s3://concat/bad.wav", "missing.mp3");
    assertEquals(ExitCodes.USAGE, submit.exitCode(), submit.transcript());
    assertTrue(
        submit
            .err()
            .contains("segment 0: 'missing.mp3' is neither an s3:// URI nor a readable file"),
        submit.transcript());
    assertTrue(submit.err().contains("must end in .mp3 or .m4a"), submit.transcript());
  }

  private void awaitState(String jobId, JobState wanted) throws InterruptedException {
    JobStatusReader reader = new JobStatusReader(stack.connection().client());
    long deadline = System.currentTimeMillis() + 60_000;
    JobState state = null;
    while (System.currentTimeMillis() < deadline) {
      state = reader.read(jobId).state();
      if (state == wanted) {
        return;
      }
      assertFalse(state.isTerminal(), "job ended " + state + " before reaching " + wanted);
      Thread.sleep(50);
    }
    throw new AssertionError("job " + jobId + " is " + state + ", not " + wanted + ", after 60 s");
  }

  private static List<String> ffmpegChildren() {
    try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
      return children
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().commandLine().orElse("?"))
          .filter(command -> command.contains("ffmpeg"))
          .toList();
    }
  }
}
