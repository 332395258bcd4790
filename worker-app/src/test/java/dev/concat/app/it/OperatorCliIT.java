package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.concat.activities.testing.ProbedOutput;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.JobState;
import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators and integrators do with the `temporal` CLI against a real server: start a job from
 * the JSON contract, query and describe a running job, find jobs by search attribute, and run a
 * worker on a namespace that lacks the attributes.
 */
@Timeout(180)
class OperatorCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path temp;

  @Test
  void aJobStartedByTheTemporalCliFromTheJsonContractCompletes() throws Exception {
    AudioSet audio = AudioSet.sines(3, 2.0);
    String jobId = "cli-started";
    String outputKey = "out/" + jobId + ".mp3";
    stack.startWorker("A");
    // The documented contract, written by hand as a Go, TypeScript or Python client would send it,
    // audio options included: mono at 48 kHz, loudness at its defaults ({}), tags and chapters.
    ObjectNode input =
        JSON.createObjectNode().put("jobId", jobId).put("output", S3Fixture.uri(outputKey));
    ArrayNode segments = input.putArray("segments");
    audio.upload(stack.s3(), jobId).forEach(segments::add);
    input.putObject("encoding").put("sampleRate", 48000).put("channels", 1);
    input.putObject("loudness");
    input.putObject("metadata").put("title", "Episode 7").put("episode", 7);
    ArrayNode chapters = input.putArray("chapters");
    chapters.addObject().put("firstSegment", 0).put("title", "Opening");
    chapters.addObject().put("firstSegment", 2).put("title", "Closing");

    cli()
        .ok(
            "workflow",
            "start",
            "--type",
            "ConcatWorkflow",
            "--task-queue",
            stack.environment().taskQueue(),
            "--workflow-id",
            jobId,
            "--input",
            JSON.writeValueAsString(input));
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));

    assertEquals(S3Fixture.uri(outputKey), result.output());
    Path file = stack.s3().download(outputKey, temp.resolve("out.mp3"));
    assertEquals(
        audio.totalSeconds(),
        SampleAudio.decodedSeconds(file),
        0.05,
        "decoded duration of the uploaded object");
    ProbedOutput probed = ProbedOutput.of(file);
    assertEquals(48000, probed.sampleRate());
    assertEquals(1, probed.channels());
    assertEquals("Episode 7", probed.tags().get("title"), probed.tags()::toString);
    assertEquals(
        List.of("Opening", "Closing"),
        probed.chapters().stream().map(ProbedOutput.Chapter::title).toList());
    assertEquals(
        4.0, probed.chapters().get(1).start(), 0.03, "the second chapter starts with segment 2");
    assertEquals(
        -16.0,
        ProbedOutput.loudness(file).integratedLufs(),
        1.0,
        "integrated loudness of the file");
    assertEquals(48000, result.audio().sampleRate(), result::toString);
    assertEquals(2, result.audio().chapters(), result::toString);
    assertEquals(-16.0, result.audio().integratedLufs(), 1.0, result::toString);
    CliProcess status =
        CliProcess.run(stack.environment(), temp, List.of("status", jobId), Duration.ofSeconds(60));
    assertEquals(0, status.exitCode(), status::transcript);
    assertTrue(status.out().contains("COMPLETED"), status::transcript);
  }

  @Test
  void operatorsQueryDescribeAndFindJobsWithTheTemporalCli() throws Exception {
    int count = 6;
    AudioSet audio = AudioSet.sines(count, 3.0);
    String jobId = "cli-watched";
    stack.startWorker("A", stack.slowFfmpeg());
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
            "concatenating",
            s -> s.state() == JobState.CONCATENATING,
            Duration.ofSeconds(60));

    JsonNode status =
        JSON.readTree(
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
    assertEquals("CONCATENATING", status.path("state").asText(), status::toString);
    assertEquals(count, status.path("segmentsTotal").asInt(), status::toString);
    assertEquals(count, status.path("segmentsDownloaded").asInt(), status::toString);
    String text = cli().ok("workflow", "query", "--workflow-id", jobId, "--name", "status");
    assertTrue(text.contains("CONCATENATING") && text.contains("segmentsConcatenated"), text);

    JsonNode activity =
        awaitDescribe(
                jobId,
                "the concat step's heartbeat details",
                d -> d.path("pendingActivities").path(0).has("heartbeatDetails"))
            .path("pendingActivities")
            .path(0);
    assertEquals("Concat", activity.path("activityType").path("name").asText(), activity::toString);
    JsonNode beat = activity.path("heartbeatDetails").path(0);
    assertTrue(
        beat.has("step")
            && beat.path("segment").asInt(-1) >= 0
            && beat.path("segment").asInt() <= count,
        activity::toString);

    assertEquals(List.of(jobId), awaitList("ConcatState = 'CONCATENATING'", List.of(jobId)));
    assertEquals(List.of(jobId), awaitList("ConcatSegments = " + count, List.of(jobId)));
    stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    assertEquals(
        List.of(jobId),
        awaitList("ConcatState = 'COMPLETED' AND ConcatSegments = " + count, List.of(jobId)));
    assertEquals(List.of(), awaitList("ConcatState = 'CONCATENATING'", List.of()));
    JsonNode memo =
        awaitDescribe(
                jobId,
                "the memo",
                d -> d.path("workflowExecutionInfo").path("memo").path("fields").has("sizeBytes"))
            .path("workflowExecutionInfo")
            .path("memo")
            .path("fields");
    assertEquals(count, memo.path("segments").asInt(), memo::toString);
    assertEquals(
        S3Fixture.uri("out/" + jobId + ".mp3"), memo.path("output").asText(), memo::toString);
  }

  @Test
  void aWorkerOnANamespaceWithoutTheSearchAttributesRunsJobsAndSaysOnceWhatToRegister()
      throws Exception {
    String namespace = "bare";
    TemporalCli bare = new TemporalCli(stack.temporal().address(), namespace, temp);
    bare.ok("operator", "namespace", "create");
    AudioSet audio = AudioSet.sines(2, 2.0);
    String jobId = "unindexed";
    WorkerJvm worker = stack.startWorker("A", Map.of("TEMPORAL_NAMESPACE", namespace));
    WorkflowClient client =
        WorkflowClient.newInstance(
            stack.temporal().client().getWorkflowServiceStubs(),
            WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    JobClient jobs = new JobClient(client, stack.environment().taskQueue());

    jobs.start(
        ConcatRequest.builder(jobId)
            .segments(audio.upload(stack.s3(), jobId))
            .output(S3Fixture.uri("out/" + jobId + ".mp3"))
            .build());
    jobs.awaitResult(jobId, Duration.ofSeconds(90));

    Matcher said =
        worker.awaitLog(
            "lacks the search attributes ([^\n]*?), so jobs run[^\n]*Register them once with: ([^\"\n]+)",
            Duration.ofSeconds(5));
    assertEquals(
        1, worker.logText().split("lacks the search attributes", -1).length - 1, "said once");
    assertTrue(
        said.group(1).contains("ConcatState") && said.group(1).contains("ConcatSegments"),
        said.group());
    // The command the worker gives works as written.
    for (String command : said.group(2).split(" && ")) {
      List<String> words = List.of(command.split(" "));
      assertEquals("temporal", words.get(0), command);
      bare.ok(words.subList(1, words.size()).toArray(String[]::new));
    }
    String registered = bare.ok("operator", "search-attribute", "list");
    assertTrue(
        registered.contains("ConcatState") && registered.contains("ConcatSegments"), registered);
  }

  private TemporalCli cli() {
    return new TemporalCli(stack.temporal().address(), TemporalDevServer.NAMESPACE, temp);
  }

  private JsonNode awaitDescribe(String jobId, String what, Predicate<JsonNode> wanted)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last;
    do {
      last =
          JSON.readTree(
              cli().ok("workflow", "describe", "--workflow-id", jobId, "--output", "json"));
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("describe never showed " + what + ": " + last);
  }

  /**
   * Visibility is eventually consistent: lists until the ids are the expected ones, for a while.
   */
  private List<String> awaitList(String query, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<String> ids;
    do {
      ids =
          JSON
              .readTree(cli().ok("workflow", "list", "--query", query, "--output", "json"))
              .findValues("workflowId")
              .stream()
              .map(JsonNode::asText)
              .distinct()
              .toList();
      if (ids.equals(expected)) {
        return ids;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return ids;
  }
}
