package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatResult;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spread job's host is lost while it assembles the encoded chunks, killed (kill -9) or stopped
 * (SIGTERM): the job moves to the other worker, which assembles the same staged chunks without
 * encoding any again, and the output is whole. About 30 s each: in the soak profile.
 */
@Timeout(150)
class SpreadHostLostIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void aHostKilledWhileAssemblingLeavesTheChunksToTheNextHost() throws IOException {
    String jobId = "spread-host-killed";
    Lost lost = hostLostWhileAssembling(jobId, WorkerJvm::kill9);

    Reliability.record(
        "spread-host-killed-assembling",
        "chunks",
        lost.chunks(),
        "chunks_reused_by_next_host",
        lost.reused(),
        "lost_to_complete_seconds",
        lost.completed());
  }

  @Test
  void aHostStoppedWhileAssemblingExitsPromptlyAndLeavesTheChunksToTheNextHost()
      throws IOException {
    String jobId = "spread-host-stopped";
    Duration[] exited = new Duration[1];
    List<List<Orphans.Proc>> leftAtExit = new ArrayList<>();
    Lost lost =
        hostLostWhileAssembling(
            jobId,
            host -> {
              host.sigterm();
              exited[0] = host.awaitExit(Duration.ofSeconds(60));
              leftAtExit.add(Orphans.processes(host.workDir()));
            });

    assertEquals(List.of(), leftAtExit.get(0), "A's FFmpeg and its children are gone at its exit");
    Path jobDir = lost.host().workDir().resolve("jobs").resolve(jobId);
    assertFalse(
        Files.exists(jobDir),
        "A deleted the job's work directory: " + Orphans.leftoverFiles(lost.host().workDir()));
    lost.host()
        .awaitLog(
            "job " + jobId + ": assemble interrupted because worker \\S+ is shutting down",
            Duration.ofSeconds(1));
    assertTrue(
        exited[0].compareTo(Duration.ofSeconds(10)) <= 0,
        "A took " + exited[0] + " to exit after SIGTERM");
    Reliability.record(
        "spread-host-stopped-assembling",
        "chunks",
        lost.chunks(),
        "exit_seconds",
        exited[0],
        "lost_to_complete_seconds",
        lost.completed());
  }

  /** What losing the host cost: the host, the chunks encoded, reused and the time to the result. */
  private record Lost(WorkerJvm host, int chunks, int reused, Duration completed) {}

  /**
   * Starts the job on a host (A, started first, so it claims it) that writes the output's ID3 tag
   * (an FFmpeg writing {@code joined.tag.mp3}, which only the assembly runs) a few seconds late, so
   * the test sees the assembly begin; starts B once A holds the job; loses A with {@code lose}
   * while it assembles; then checks that B completed the job, that no chunk was encoded twice, and
   * that the output is whole and the staging empty.
   */
  private Lost hostLostWhileAssembling(String jobId, Consumer<WorkerJvm> lose) throws IOException {
    SpreadJob job = new SpreadJob(stack, jobId, 4);
    WorkerJvm host = stack.startWorker("A", SpreadJob.worker(slowTagWrites(downloads, 3), 120));
    job.start();
    stack
        .jobs()
        .awaitStatus(
            jobId, "claimed by A", s -> host.identity().equals(s.worker()), Duration.ofSeconds(30));
    Map<String, String> plainFfmpeg = new HashMap<>(SpreadJob.worker("unused", 120));
    plainFfmpeg.remove("FFMPEG_PATH");
    WorkerJvm other = stack.startWorker("B", plainFfmpeg);

    SpreadJob.await(
        "A assembling the chunks",
        () ->
            Orphans.processes(host.workDir()).stream()
                .anyMatch(p -> p.argv().stream().anyMatch(a -> a.endsWith("/joined.tag.mp3"))));
    long lost = System.nanoTime();
    lose.accept(host);
    ConcatResult result = job.awaitResult(Duration.ofSeconds(90));
    Duration completed = Reliability.since(lost);

    assertEquals(other.identity(), stack.jobs().status(jobId).worker(), "B took the job over");
    Pattern encodedLine = Pattern.compile("job " + jobId + ": encoded chunk (\\d+)");
    List<Integer> encoded = encodedChunks(host, encodedLine);
    encoded.addAll(encodedChunks(other, encodedLine));
    assertTrue(encoded.size() >= 2, () -> "a job of minutes is cut in chunks: " + encoded);
    assertEquals(
        encoded.stream().distinct().count(),
        encoded.size(),
        () -> "every chunk encoded once, none again after A was lost: " + encoded);
    int reused = job.runs().stream().mapToInt(r -> r.result().reused()).sum();
    job.assertCompleteAndClean(result, downloads);
    return new Lost(host, encoded.size(), reused, completed);
  }

  private static List<Integer> encodedChunks(WorkerJvm worker, Pattern encodedLine) {
    List<Integer> chunks = new ArrayList<>();
    Matcher line = encodedLine.matcher(worker.logText());
    while (line.find()) {
      chunks.add(Integer.parseInt(line.group(1)));
    }
    return chunks;
  }

  /**
   * FFmpeg, except that a decode to 32-bit float (the output meters) first waits {@code seconds};
   * the script is written to {@code dir}.
   */
  private static String slowTagWrites(Path dir, int seconds) throws IOException {
    return DelayedFfmpeg.script(
            dir, "tags-after-" + seconds + "s-ffmpeg.sh", "*joined.tag.mp3*", "" + seconds)
        .toString();
  }
}
