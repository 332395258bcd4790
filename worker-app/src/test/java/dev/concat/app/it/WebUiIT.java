package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.testkit.WorkerJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator sees of concat's jobs in the real Temporal Web UI, in headless Chromium: a
 * finished and a running job in the workflow list with their statuses, each job's state and segment
 * count as search attributes, the finished job's memo, and each job's status query run from its
 * Queries tab; the running job's steps with their worker on its page as it opens (activity
 * summaries) and its state and segments done in the User Metadata tab (current details).
 * Screenshots of each view are left in {@code target/web-ui/}.
 */
@Timeout(150)
class WebUiIT {
  @RegisterExtension
  @Order(1)
  static final HeadlessChromium browser = new HeadlessChromium(ItPaths.target().resolve("web-ui"));

  @RegisterExtension
  @Order(2)
  static final RealStack stack = RealStack.withWebUi();

  @Test
  void anOperatorSeesAFinishedAndARunningJobWithTheirStateAndStatus() {
    // FFmpeg at playing speed: the short job finishes in seconds, the long one joins for 45 s,
    // far longer than the browser needs to look at it.
    WorkerJvm worker = stack.startWorker("A", stack.slowFfmpeg());
    Job finished = start("webui-finished", AudioSet.sines(2, 1.0));
    Job running = start("webui-running", AudioSet.sines(3, 15.0));
    stack.jobs().awaitResult(finished.id, Duration.ofSeconds(60));
    stack
        .jobs()
        .awaitStatus(
            running.id,
            "concatenating",
            s -> s.state() == JobState.CONCATENATING,
            Duration.ofSeconds(60));
    TemporalWebUi ui = new TemporalWebUi(browser, stack.temporal().uiUrl());

    ui.workflowRows(
        rows -> finished.listedAs(rows, "COMPLETED") && running.listedAs(rows, "RUNNING"));
    browser.screenshot("workflow-list");

    ui.awaitExecutionStatus(running.id, running.runId, "RUNNING");
    // On the page as it opens: each step's summary (what it does, on which worker) in the timeline.
    String page =
        ui.runPageText(running.id, running.runId, text -> text.contains("join 3 segments on"));
    browser.screenshot("running-job-summaries");
    assertTrue(page.contains("join 3 segments on " + worker.identity()), page);
    assertTrue(page.contains("download 3 segments on " + worker.identity()), page);
    // The workflow's current details (state, segments done, worker), in the User Metadata tab.
    String details =
        ui.tabText(
            running.id, running.runId, "User Metadata", text -> text.contains("concatenated"));
    browser.screenshot("running-job-current-details");
    assertTrue(details.contains("CONCATENATING") && details.contains("3 of 3 downloaded"), details);
    assertTrue(details.contains(worker.identity()), details);
    JsonNode runningAttributes =
        ui.searchAttributes(
            running.id,
            running.runId,
            sa -> sa.path("ConcatState").asText().equals("CONCATENATING"));
    browser.screenshot("running-job");
    assertEquals(3, runningAttributes.path("ConcatSegments").asInt(), runningAttributes::toString);
    JsonNode runningStatus = ui.runQuery(running.id, running.runId, "status");
    browser.screenshot("running-job-status-query");
    assertStatus(running, "CONCATENATING", 3, runningStatus);
    assertEquals(3, runningStatus.path("segmentsDownloaded").asInt(), runningStatus::toString);
    int joined = runningStatus.path("segmentsConcatenated").asInt(-1);
    assertTrue(joined >= 0 && joined <= 3, runningStatus::toString);
    assertEquals(worker.identity(), runningStatus.path("worker").asText(), runningStatus::toString);
    ConcatStatus fromClient = stack.jobs().status(running.id);
    assertEquals(
        fromClient.attempt(),
        runningStatus.path("attempt").asInt(),
        "the UI shows what a client's query does");

    ui.awaitExecutionStatus(finished.id, finished.runId, "COMPLETED");
    JsonNode finishedAttributes =
        ui.searchAttributes(
            finished.id, finished.runId, sa -> sa.path("ConcatState").asText().equals("COMPLETED"));
    browser.screenshot("finished-job");
    assertEquals(
        2, finishedAttributes.path("ConcatSegments").asInt(), finishedAttributes::toString);
    JsonNode memo = ui.memo(finished.id, finished.runId, fields -> fields.has("segments"));
    browser.screenshot("finished-job-memo");
    assertEquals(2, memo.path("segments").asInt(), memo::toString);
    assertEquals(finished.output, memo.path("output").asText(), memo::toString);
    JsonNode finishedStatus = ui.runQuery(finished.id, finished.runId, "status");
    browser.screenshot("finished-job-status-query");
    assertStatus(finished, "COMPLETED", 2, finishedStatus);
    assertEquals(2, finishedStatus.path("segmentsConcatenated").asInt(), finishedStatus::toString);
    assertTrue(finishedStatus.path("result").isObject(), finishedStatus::toString);

    assertEquals(
        JobState.CONCATENATING,
        stack.jobs().status(running.id).state(),
        "the running job was still joining while the browser looked at it");
  }

  private static void assertStatus(Job job, String state, int segments, JsonNode status) {
    assertEquals(job.id, status.path("jobId").asText(), status::toString);
    assertEquals(state, status.path("state").asText(), status::toString);
    assertEquals(segments, status.path("segmentsTotal").asInt(), status::toString);
  }

  private static Job start(String jobId, AudioSet audio) {
    String output = S3Fixture.uri("out/" + jobId + ".mp3");
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(output)
                .build());
    String runId = stack.jobs().untyped(jobId).describe().getExecution().getRunId();
    return new Job(jobId, runId, output);
  }

  private record Job(String id, String runId, String output) {
    /** One row of the workflow list names this run with {@code status}. */
    boolean listedAs(List<String> rows, String status) {
      return rows.stream()
          .anyMatch(row -> row.contains(id) && row.contains(runId) && row.contains(status));
    }
  }
}
