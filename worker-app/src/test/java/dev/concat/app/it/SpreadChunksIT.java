package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.app.it.ChunkHistory.Completed;
import dev.concat.contract.ConcatResult;
import dev.concat.testkit.Executables;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked MP3 encode spread over two worker processes with one chunk slot each, in runs of one
 * chunk: both encode the job's chunks (as the server recorded their completions), no chunk is
 * encoded twice, the output lasts exactly as long as its segments by a decoder the product does not
 * use, and the job's staging objects, seen while it ran, are gone when it ends. Both workers spread
 * as they do by default ({@code CONCAT_CHUNK_SPREAD=auto}): each sees the other poll the chunk
 * queue, and the job's three runs are more than a host of one core (as the test starts them)
 * encodes at once. A worker alone, by default, encodes the same job on its own cores without
 * staging a byte.
 */
@Timeout(120)
class SpreadChunksIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void twoWorkersEachEncodeChunksOfOneJob() {
    SpreadJob job = new SpreadJob(stack, "spread-two-workers", 3);
    Map<String, String> env = spreadByDefault();
    WorkerJvm a = stack.startWorker("A", env);
    WorkerJvm b = stack.startWorker("B", env);

    long started = System.nanoTime();
    job.start();
    SpreadJob.await(
        "the job's chunks staged in S3", () -> !stack.s3().keysUnder(SpreadJob.STAGING).isEmpty());
    ConcatResult result = job.awaitResult(Duration.ofSeconds(60));
    Duration took = Reliability.since(started);

    List<Completed> runs = job.runs();
    assertEquals(
        Set.of(a.identity(), b.identity()),
        runs.stream().map(Completed::identity).collect(Collectors.toSet()),
        () -> "the workers that completed the runs: " + runs);
    int chunks = SpreadJob.assertEachChunkEncodedOnce(runs, 0);
    long samples = job.assertCompleteAndClean(result, downloads);
    Reliability.record(
        "spread-two-workers",
        "chunks",
        chunks,
        "runs_by_first_worker",
        runs.stream().filter(r -> r.identity().equals(a.identity())).count(),
        "samples",
        samples,
        "job_seconds",
        took);
  }

  @Test
  void aLoneWorkerEncodesOnItsOwnCores() {
    SpreadJob job = new SpreadJob(stack, "spread-lone-worker", 3);
    WorkerJvm lone = stack.startWorker("lone", spreadByDefault());

    job.start();
    ConcatResult result = job.awaitResult(Duration.ofSeconds(60));

    assertEquals(List.of(), job.runs(), "chunk runs handed to the fleet");
    lone.awaitLog(
        "no other worker polled \\S+ in the last 120 s; its chunks are encoded on this host's"
            + " cores",
        Duration.ZERO);
    lone.awaitLog("joining 3 segments .*, encoded in chunks", Duration.ZERO);
    job.assertCompleteAndClean(result, downloads);
  }

  /** A spread job's workers as they are by default: spreading where another worker polls. */
  private static Map<String, String> spreadByDefault() {
    Map<String, String> env =
        new HashMap<>(SpreadJob.worker(Executables.require("ffmpeg").toString(), 60));
    env.remove("CONCAT_CHUNK_SPREAD");
    // The job's 3 runs are more than a host of one core encodes at once, on any machine the test
    // runs on: auto spreads them when another worker polls.
    env.put("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=1");
    return env;
  }
}
