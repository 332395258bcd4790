package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.it.ChunkHistory.Completed;
import dev.concat.contract.ConcatResult;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker that is not a spread job's host is killed (kill -9) while it encodes a chunk: its run
 * of chunks is taken up again on the host once its heartbeat timeout notices, the job completes,
 * and the chunk the killed worker had finished is not encoded again. About 50 s: in the soak
 * profile.
 */
@Timeout(150)
class SpreadChunkWorkerKilledIT {
  private static final String JOB = "spread-worker-killed";

  /** Matches the killed worker's log line for a chunk it stored. */
  private static final Pattern ENCODED = Pattern.compile("job " + JOB + ": encoded chunk \\d+");

  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  /**
   * Four chunks in two runs of two. The host (A, started first, so it claims the job) waits 4 s
   * before each chunk encode and B, started once A holds the job, 1 s: B finishes the first chunk
   * of its run while A is on its own run, and is killed while it encodes its second.
   */
  @Test
  void aChunkWhoseWorkerIsKilledIsEncodedOnTheHostAndNoFinishedChunkAgain() throws IOException {
    SpreadJob job = new SpreadJob(stack, JOB, 4);
    WorkerJvm host =
        stack.startWorker("A", SpreadJob.worker(SpreadJob.slowChunkEncoders(downloads, 4), 120));
    job.start();
    stack
        .jobs()
        .awaitStatus(
            JOB, "claimed by A", s -> host.identity().equals(s.worker()), Duration.ofSeconds(30));
    WorkerJvm other =
        stack.startWorker("B", SpreadJob.worker(SpreadJob.slowChunkEncoders(downloads, 1), 120));

    PendingActivityInfo victim = awaitSecondChunkOfARunOn(other);
    other.kill9();
    int storedByOther = (int) ENCODED.matcher(other.logText()).results().count();
    long killed = System.nanoTime();
    ConcatResult result = job.awaitResult(Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);

    List<Completed> runs = job.runs();
    Completed retried =
        runs.stream()
            .filter(r -> r.activityId().equals(victim.getActivityId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the killed run never completed: " + runs));
    assertEquals(
        host.identity(), retried.identity(), () -> "the host finished the killed run: " + runs);
    assertTrue(retried.attempt() >= 2, () -> "the killed run ran again: " + retried);
    int chunks = SpreadJob.assertEachChunkEncodedOnce(runs, storedByOther);
    assertEquals(host.identity(), stack.jobs().status(JOB).worker(), "the job stayed on A");
    job.assertCompleteAndClean(result, downloads);
    Reliability.record(
        "spread-worker-killed",
        "chunks",
        chunks,
        "stored_by_killed_worker",
        storedByOther,
        "killed_run_attempt",
        retried.attempt(),
        "kill_to_complete_seconds",
        completed);
  }

  /**
   * Waits until {@code worker} has stored a chunk of the job and encodes another (its FFmpeg, or
   * the wrapper, runs); returns the run it is on.
   */
  private static PendingActivityInfo awaitSecondChunkOfARunOn(WorkerJvm worker) {
    AtomicReference<PendingActivityInfo> running = new AtomicReference<>();
    SpreadJob.await(
        worker + " storing a chunk and encoding another",
        () -> {
          Optional<PendingActivityInfo> run =
              ChunkHistory.running(stack.temporal().client(), JOB).stream()
                  .filter(a -> a.getLastWorkerIdentity().equals(worker.identity()))
                  .findFirst();
          run.ifPresent(running::set);
          return run.isPresent()
              && ENCODED.matcher(worker.logText()).find()
              && Orphans.processes(worker.workDir()).stream()
                  .anyMatch(p -> p.argv().contains("-write_xing"));
        });
    return running.get();
  }
}
