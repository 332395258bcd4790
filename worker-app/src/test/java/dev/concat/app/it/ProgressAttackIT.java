package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's wedge: anyone who can signal a job sends it {@code null}, {@code {}} or a forged
 * report with the `temporal` CLI while it joins. The job keeps answering its status query with its
 * real numbers, completes with the right duration, and can still be cancelled; a forged update is
 * refused and never enters the history.
 */
@Timeout(240)
class ProgressAttackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SEGMENTS = 6;
  private static final double SEGMENT_SECONDS = 3.0;
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path temp;

  @Test
  void nullEmptyAndForgedProgressChangeNothingAndTheJobCompletes() throws Exception {
    String jobId = "attacked";
    AudioSet audio = AudioSet.sines(SEGMENTS, SEGMENT_SECONDS);
    stack.startWorker("A", stack.slowFfmpeg());
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                .build());
    ConcatStatus joining =
        stack
            .jobs()
            .awaitStatus(
                jobId,
                "concatenating",
                s -> s.state() == JobState.CONCATENATING,
                Duration.ofSeconds(60));

    attack(jobId, joining.worker());

    CliProcess forgedUpdate =
        cli()
            .run(
                "workflow",
                "update",
                "execute",
                "--workflow-id",
                jobId,
                "--name",
                "reportProgress",
                "--input",
                forged(joining.worker(), "concat", "a-forged-token"));
    assertNotEquals(0, forgedUpdate.exitCode(), forgedUpdate::transcript);
    CliProcess emptyUpdate =
        cli()
            .run(
                "workflow",
                "update",
                "execute",
                "--workflow-id",
                jobId,
                "--name",
                "reportProgress",
                "--input",
                "{}");
    assertNotEquals(0, emptyUpdate.exitCode(), emptyUpdate::transcript);
    JsonNode status = query(jobId);
    assertEquals("CONCATENATING", status.path("state").asText(), status::toString);
    assertTrue(status.path("segmentsConcatenated").asInt() < SEGMENTS, status::toString);
    assertTrue(status.path("lastProgressAt").asText().compareTo("2100") < 0, status::toString);
    String details =
        cli()
            .ok(
                "workflow",
                "query",
                "--workflow-id",
                jobId,
                "--name",
                "__temporal_workflow_metadata",
                "--output",
                "json");
    assertTrue(details.contains("CONCATENATING") && details.contains("concatenated"), details);

    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(120));

    double expected = SEGMENTS * SEGMENT_SECONDS;
    assertEquals(expected, result.durationSeconds(), 0.05, result::toString);
    Path file = stack.s3().download("out/" + jobId + ".mp3", temp.resolve("out.mp3"));
    assertEquals(
        expected,
        SampleAudio.decodedSeconds(file),
        0.05,
        "decoded duration of the uploaded object");
    assertEquals("COMPLETED", query(jobId).path("state").asText());
    String history = cli().ok("workflow", "show", "--workflow-id", jobId, "--output", "json");
    // Kept for ShippedHistoryReplayTest's next recording: a job of the progress-channel version,
    // attacked.
    Files.writeString(
        ItPaths.logs(ProgressAttackIT.class).resolve(jobId + "-history.json"), history);
    assertFalse(history.contains("a-forged-token"), "a refused update entered the history");
    assertTrue(
        history.contains("WorkflowExecutionUpdateCompleted")
            || history.contains("UPDATE_COMPLETED"),
        "the real progress came through the update");
  }

  @Test
  void anAttackedJobIsStillCancellableAndLeavesNothingRunning() throws Exception {
    String jobId = "attacked-then-cancelled";
    AudioSet audio = AudioSet.sines(SEGMENTS, SEGMENT_SECONDS);
    WorkerJvm worker = stack.startWorker("A", stack.slowFfmpeg());
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                .build());
    ConcatStatus joining =
        stack
            .jobs()
            .awaitStatus(
                jobId,
                "concatenating",
                s -> s.state() == JobState.CONCATENATING,
                Duration.ofSeconds(60));
    Orphans.awaitFfmpeg(worker.workDir(), Duration.ofSeconds(20));

    attack(jobId, joining.worker());
    cli().ok("workflow", "cancel", "--workflow-id", jobId);

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (stack.jobs().untyped(jobId).describe().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
        stack.jobs().untyped(jobId).describe().getStatus());
    assertEquals("CANCELLED", query(jobId).path("state").asText());
    Orphans.awaitNone(worker.workDir(), Duration.ofSeconds(10));
    Orphans.awaitNoLeftoverFiles(worker.workDir(), Duration.ofSeconds(10));
  }

  /**
   * The three legacy signals, each followed by a status query that must answer with the real state.
   */
  private void attack(String jobId, String worker) throws Exception {
    for (String input : List.of("null", "{}", forged(worker, "concat", null))) {
      cli()
          .ok("workflow", "signal", "--workflow-id", jobId, "--name", "progress", "--input", input);
      JsonNode status = query(jobId);
      assertEquals("CONCATENATING", status.path("state").asText(), () -> input + " -> " + status);
      assertTrue(
          status.path("segmentsConcatenated").asInt() < SEGMENTS, () -> input + " -> " + status);
      assertTrue(
          status.path("lastProgressAt").asText().compareTo("2100") < 0,
          () -> input + " -> " + status);
    }
  }

  /** All segments done, dated 2100, from the worker the status names: what issue 12 reproduced. */
  private static String forged(String worker, String phase, String token) throws Exception {
    var report =
        JSON.createObjectNode()
            .put("phase", phase)
            .put("done", SEGMENTS)
            .put("total", SEGMENTS)
            .put("worker", worker)
            .put("attempt", 1)
            .put("atMillis", 4_102_444_800_000L);
    if (token != null) {
      report.put("token", token);
    }
    return JSON.writeValueAsString(report);
  }

  private JsonNode query(String jobId) throws Exception {
    return JSON.readTree(
            cli()
                .ok(
                    "workflow",
                    "query",
                    "--workflow-id",
                    jobId,
                    "--name",
                    "status",
                    "--output",
                    "json"))
        .path("queryResult")
        .path(0);
  }

  private TemporalCli cli() {
    return new TemporalCli(stack.temporal().address(), TemporalDevServer.NAMESPACE, temp);
  }
}
