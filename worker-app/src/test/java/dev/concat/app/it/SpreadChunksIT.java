package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.app.it.ChunkHistory.Completed;
import dev.concat.contract.ConcatResult;
import dev.concat.testkit.Executables;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
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
 * use, and the job's staging objects, seen while it ran, are gone when it ends.
 */
@Timeout(120)
class SpreadChunksIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void twoWorkersEachEncodeChunksOfOneJob() {
    SpreadJob job = new SpreadJob(stack, "spread-two-workers", 3);
    Map<String, String> env = SpreadJob.worker(Executables.require("ffmpeg").toString(), 60);
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
}
