package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatResult;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spread job's host is killed (kill -9) while it assembles the encoded chunks: the job moves to
 * the other worker, which assembles the same staged chunks without encoding any again, and the
 * output is whole. About 40 s: in the soak profile.
 */
@Timeout(150)
class SpreadHostKilledIT {
  private static final String JOB = "spread-host-killed";

  /** A worker's log line for a chunk it encoded and stored. */
  private static final Pattern ENCODED = Pattern.compile("job " + JOB + ": encoded chunk (\\d+)");

  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  /**
   * The host (A, started first, so it claims the job) runs its output meters (FFmpeg decoding the
   * joined MP3 to 32-bit float, which only the assembly does in a job that does not normalise) a
   * second late, so the test sees the assembly begin; B, started once A holds the job, is the only
   * other worker.
   */
  @Test
  void aHostKilledWhileAssemblingLeavesTheChunksToTheNextHost() throws IOException {
    SpreadJob job = new SpreadJob(stack, JOB, 4);
    WorkerJvm host = stack.startWorker("A", SpreadJob.worker(slowOutputMeters(downloads, 1), 120));
    job.start();
    stack
        .jobs()
        .awaitStatus(
            JOB, "claimed by A", s -> host.identity().equals(s.worker()), Duration.ofSeconds(30));
    Map<String, String> plainFfmpeg = new HashMap<>(SpreadJob.worker("unused", 120));
    plainFfmpeg.remove("FFMPEG_PATH");
    WorkerJvm other = stack.startWorker("B", plainFfmpeg);

    SpreadJob.await(
        "A assembling the chunks",
        () ->
            Orphans.processes(host.workDir()).stream()
                .anyMatch(p -> p.argv().contains("pcm_f32le")));
    host.kill9();
    List<Integer> encodedByHost = encodedChunks(host);
    long killed = System.nanoTime();
    ConcatResult result = job.awaitResult(Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);

    assertEquals(other.identity(), stack.jobs().status(JOB).worker(), "B took the job over");
    List<Integer> encoded = new ArrayList<>(encodedByHost);
    encoded.addAll(encodedChunks(other));
    assertTrue(encoded.size() >= 2, () -> "a job of minutes is cut in chunks: " + encoded);
    assertEquals(
        encoded.stream().distinct().count(),
        encoded.size(),
        () -> "every chunk encoded once, none again after the kill: " + encoded);
    int reused = job.runs().stream().mapToInt(r -> r.result().reused()).sum();
    job.assertCompleteAndClean(result, downloads);
    Reliability.record(
        "spread-host-killed-assembling",
        "chunks",
        encoded.size(),
        "chunks_reused_by_next_host",
        reused,
        "kill_to_complete_seconds",
        completed);
  }

  private static List<Integer> encodedChunks(WorkerJvm worker) {
    List<Integer> chunks = new ArrayList<>();
    Matcher line = ENCODED.matcher(worker.logText());
    while (line.find()) {
      chunks.add(Integer.parseInt(line.group(1)));
    }
    return chunks;
  }

  /**
   * FFmpeg, except that a decode to 32-bit float (the output meters) first waits {@code seconds};
   * the script is written to {@code dir}.
   */
  private static String slowOutputMeters(Path dir, int seconds) throws IOException {
    Path script = dir.resolve("meters-after-" + seconds + "s-ffmpeg.sh");
    Files.writeString(
        script,
        "#!/bin/sh\ncase \"$*\" in\n  *pcm_f32le*) sleep "
            + seconds
            + " ;;\nesac\nffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toString();
  }
}
