package dev.concat.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histories recorded with shipped versions of ConcatWorkflow. From the first one (before the
 * "rerun-policy" version): a completed job, a job failed by three worker shutdowns, and one whose
 * download went silent past its heartbeat timeout. From the "job-visibility" version: a completed
 * job that published its search attributes and memo (recorded from `temporal server start-dev` with
 * `temporal workflow show --output json`). From the "progress-channel" version: a job that took its
 * progress through the reportProgress update and was sent null, {} and forged progress signals
 * while it joined (ProgressAttackIT's job, named by its job id as the request must be). From the
 * "chunked-join" version: a 6-minute job whose host staged 7 one-minute chunks, which two workers
 * (one chunk slot each) encoded in 3 runs of 2 minutes before the host assembled them (recorded
 * from `temporal server start-dev`, `concat dev --temporal-address`, two `concat worker` with
 * `--chunk-min-seconds 60 --chunk-run-seconds 120 --chunk-slots 1`). From the "rerun-after-silence"
 * version: a job whose concat went silent past its heartbeat timeout and ran again at once on
 * another host (recorded on the time-skipping test server by ConcatWorkflowTest's job "silent",
 * with `WorkflowExecutionHistory.toJson`). The current code must replay each of them without a
 * non-determinism error, or running jobs would break on deploy.
 */
class ShippedHistoryReplayTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "completed",
        "shutdowns",
        "heartbeat-timeout",
        "visible-1",
        "attacked",
        "spread-1",
        "silent"
      })
  void currentCodeReplaysAHistoryOfTheShippedVersion(String name) throws Exception {
    // The workflow id is the job id the request names; the replayer's default id would fail
    // validation.
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(history(name), name), ConcatWorkflowImpl.class);
  }

  private static String history(String name) throws IOException {
    try (InputStream in =
        ShippedHistoryReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("no recorded history " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
