package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.app.jobs.JobStatusReader;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "no worker, no status": with no worker to answer the status query, {@code concat
 * status} answers within 2 s from what the Temporal server records, marked as the server's view
 * with the reason, and {@code startedAt} is the submit time.
 */
@Timeout(180)
class NoWorkerStatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ANSWER_LIMIT = Duration.ofSeconds(2);
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path temp;

  @Test
  void aJobNoWorkerHasPickedUpAnswersFromTheServerWithinTwoSeconds() throws Exception {
    String jobId = "unattended";
    AudioSet audio = AudioSet.sines(3, 2.0);
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                .build());
    String submitted = stack.jobs().untyped(jobId).describe().getStartTime().toString();
    Thread.sleep(1_500);

    long asked = System.nanoTime();
    ConcatStatus status = new JobStatusReader(stack.temporal().client()).read(jobId);
    Duration answered = Reliability.since(asked);

    assertEquals(ConcatStatus.SERVER_VIEW, status.view(), status::toString);
    assertEquals(JobState.PENDING, status.state(), status::toString);
    assertTrue(
        status.viewReason().startsWith("no worker has picked this job up for "), status::toString);
    assertEquals(submitted, status.startedAt(), status::toString);
    long cliStarted = System.nanoTime();
    CliProcess cli =
        CliProcess.run(
            stack.environment(), temp, List.of("status", "--json", jobId), Duration.ofSeconds(30));
    Duration cliAnswered = Reliability.since(cliStarted);
    assertEquals(0, cli.exitCode(), cli::transcript);
    JsonNode json = JSON.readTree(cli.out());
    assertEquals("server", json.path("view").asText(), cli::transcript);
    assertEquals("PENDING", json.path("state").asText(), cli::transcript);
    Reliability.record(
        "no-worker-status", "reader_answer", answered, "cli_process_incl_jvm_start", cliAnswered);
    assertTrue(answered.compareTo(ANSWER_LIMIT) <= 0, "answered after " + answered);
  }

  @Test
  void aJobWhoseWorkerDiedMidJoinShowsTheStepItsWorkerAndLastHeartbeat() throws Exception {
    String jobId = "orphaned";
    AudioSet audio = AudioSet.sines(6, 3.0);
    WorkerJvm worker = stack.startWorker("A", stack.slowFfmpeg());
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri("out/" + jobId + ".mp3"))
                .build());
    stack
        .jobs()
        .awaitStatus(
            jobId,
            "joining",
            s -> s.state() == JobState.CONCATENATING && s.segmentsConcatenated() > 0,
            Duration.ofSeconds(60));
    worker.kill9();
    worker.awaitExit(Duration.ofSeconds(10));

    long asked = System.nanoTime();
    ConcatStatus status = new JobStatusReader(stack.temporal().client()).read(jobId);
    Duration answered = Reliability.since(asked);

    assertEquals(ConcatStatus.SERVER_VIEW, status.view(), status::toString);
    assertEquals(JobState.CONCATENATING, status.state(), status::toString);
    assertEquals(worker.identity(), status.worker(), status::toString);
    assertEquals(6, status.segmentsTotal(), status::toString);
    assertEquals(6, status.segmentsDownloaded(), status::toString);
    assertTrue(status.lastProgressAt().compareTo(status.startedAt()) > 0, status::toString);
    Reliability.record("dead-worker-status", "reader_answer", answered);
    assertTrue(answered.compareTo(ANSWER_LIMIT) <= 0, "answered after " + answered);
  }
}
