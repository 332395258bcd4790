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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker that is not a spread job's host is killed (kill -9) while it encodes a chunk: the
 * chunk is encoded again on the host once its heartbeat timeout notices, the job completes, and the
 * chunk the killed worker had finished is not encoded again. About 50 s: in the soak profile.
 */
@Timeout(150)
class SpreadChunkWorkerKilledIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  /**
   * The host (A, started first, so it claims the job) waits 4 s before each chunk encode and B,
   * started once A holds the job, 1 s: B finishes a chunk while A is on its first, and is killed
   * while it holds its next.
   */
  @Test
  void aChunkWhoseWorkerIsKilledIsEncodedOnTheHostAndNoFinishedChunkAgain() throws IOException {
    SpreadJob job = new SpreadJob(stack, "spread-worker-killed", 4);
    WorkerJvm host =
        stack.startWorker("A", SpreadJob.worker(SpreadJob.slowChunkEncoders(downloads, 4)));
    job.start();
    stack
        .jobs()
        .awaitStatus(
            "spread-worker-killed",
            "claimed by A",
            s -> host.identity().equals(s.worker()),
            Duration.ofSeconds(30));
    WorkerJvm other =
        stack.startWorker("B", SpreadJob.worker(SpreadJob.slowChunkEncoders(downloads, 1)));

    PendingActivityInfo victim = awaitSecondChunkRunningOn(job, other);
    List<Completed> finishedByOther =
        job.chunks().stream().filter(c -> c.identity().equals(other.identity())).toList();
    other.kill9();
    long killed = System.nanoTime();
    ConcatResult result = job.awaitResult(Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);

    List<Completed> chunks = job.chunks();
    Completed retried =
        chunks.stream()
            .filter(c -> c.activityId().equals(victim.getActivityId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the killed chunk never completed: " + chunks));
    assertEquals(
        host.identity(), retried.identity(), () -> "the host finished the killed chunk: " + chunks);
    assertTrue(retried.attempt() >= 2, () -> "the killed chunk ran again: " + retried);
    assertTrue(
        chunks.containsAll(finishedByOther),
        () -> "the chunks B finished before it died stand: " + finishedByOther + " in " + chunks);
    SpreadJob.assertEachChunkEncodedOnce(chunks);
    assertEquals(
        host.identity(),
        stack.jobs().status("spread-worker-killed").worker(),
        "the job stayed on A");
    job.assertCompleteAndClean(result, downloads);
    Reliability.record(
        "spread-worker-killed",
        "chunks",
        chunks.size(),
        "finished_by_killed_worker",
        finishedByOther.size(),
        "killed_chunk_attempt",
        retried.attempt(),
        "kill_to_complete_seconds",
        completed);
  }

  /**
   * Waits until {@code worker} has completed a chunk of the job and runs another, whose FFmpeg (or
   * its wrapper) has started; returns that one.
   */
  private static PendingActivityInfo awaitSecondChunkRunningOn(SpreadJob job, WorkerJvm worker) {
    AtomicReference<PendingActivityInfo> running = new AtomicReference<>();
    SpreadJob.await(
        worker + " finishing a chunk and encoding another",
        () -> {
          boolean finishedOne =
              job.chunks().stream().anyMatch(c -> c.identity().equals(worker.identity()));
          Optional<PendingActivityInfo> now =
              ChunkHistory.running(stack.temporal().client(), "spread-worker-killed").stream()
                  .filter(a -> a.getLastWorkerIdentity().equals(worker.identity()))
                  .findFirst();
          boolean encoding =
              Orphans.processes(worker.workDir()).stream()
                  .anyMatch(p -> p.argv().contains("-write_xing"));
          now.ifPresent(running::set);
          return finishedOne && now.isPresent() && encoding;
        });
    return running.get();
  }
}
