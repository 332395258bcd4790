package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.it.ChunkHistory.Completed;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked MP3 encode spread over two worker processes with one chunk slot each: both encode the
 * job's chunks, the output lasts exactly as long as its segments by a decoder the product does not
 * use, no chunk is encoded twice, and the job's staging objects are gone when it ends, also when
 * the worker that is not the job's host is killed while it encodes a chunk.
 */
@Timeout(150)
class SpreadChunksIT {
  /** Everything a spread encode leaves in the bucket while its job runs. */
  private static final String STAGING = ".concat-staging/";

  /** 150 s of segments: chunked from 60 s on, in chunks of about a minute. */
  private static final int SEGMENTS = 3;

  private static final double SEGMENT_SECONDS = 50.0;

  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void twoWorkersEachEncodeChunksOfOneJob() {
    AudioSet audio = AudioSet.sines(SEGMENTS, SEGMENT_SECONDS);
    String jobId = "spread-two-workers";
    WorkerJvm a = stack.startWorker("A", spread(Map.of()));
    WorkerJvm b = stack.startWorker("B", spread(Map.of()));

    long started = System.nanoTime();
    start(jobId, audio);
    await("the job's chunks staged in S3", () -> !stack.s3().keysUnder(STAGING).isEmpty());
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(60));
    Duration took = Reliability.since(started);

    List<Completed> chunks = ChunkHistory.completed(stack.temporal().client(), jobId);
    assertEquals(
        Set.of(a.identity(), b.identity()),
        chunks.stream().map(Completed::identity).collect(Collectors.toSet()),
        () -> "the workers that completed the chunks: " + chunks);
    assertEachChunkEncodedOnce(chunks);
    long samples = assertLastsExactlyAsLongAsItsSegments(audio, result, jobId);
    assertEquals(List.of(), stack.s3().keysUnder(STAGING), "staging objects after the job");
    Reliability.record(
        "spread-two-workers",
        "chunks",
        chunks.size(),
        "by_first_worker",
        chunks.stream().filter(c -> c.identity().equals(a.identity())).count(),
        "samples",
        samples,
        "job_seconds",
        took);
  }

  /**
   * Both workers' chunk encoders wait 3 s before encoding, so the test can kill the worker that is
   * not the host while it holds a chunk.
   */
  @Test
  void aChunkWhoseWorkerIsKilledIsEncodedOnTheOtherWorkerAndNoFinishedChunkAgain()
      throws IOException {
    AudioSet audio = AudioSet.sines(SEGMENTS, SEGMENT_SECONDS);
    String jobId = "spread-worker-killed";
    Map<String, String> slow = spread(Map.of("FFMPEG_PATH", slowChunkEncoders().toString()));
    WorkerJvm a = stack.startWorker("A", slow);
    WorkerJvm b = stack.startWorker("B", slow);

    start(jobId, audio);
    String host =
        stack
            .jobs()
            .awaitStatus(jobId, "claimed", s -> s.worker() != null, Duration.ofSeconds(30))
            .worker();
    WorkerJvm other = host.equals(a.identity()) ? b : a;
    PendingActivityInfo victim = awaitChunkRunningOn(jobId, other);
    await(
        "a chunk encoder started by " + other,
        () ->
            Orphans.processes(other.workDir()).stream()
                .anyMatch(p -> p.argv().contains("-write_xing")));

    other.kill9();
    long killed = System.nanoTime();
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Duration completed = Reliability.since(killed);

    List<Completed> chunks = ChunkHistory.completed(stack.temporal().client(), jobId);
    Completed retried =
        chunks.stream()
            .filter(c -> c.activityId().equals(victim.getActivityId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the killed chunk never completed: " + chunks));
    assertEquals(host, retried.identity(), () -> "the host finished the killed chunk: " + chunks);
    assertTrue(retried.attempt() >= 2, () -> "the killed chunk ran again: " + retried);
    assertEquals(host, stack.jobs().status(jobId).worker(), "the job stayed on its host");
    assertEachChunkEncodedOnce(chunks);
    assertLastsExactlyAsLongAsItsSegments(audio, result, jobId);
    assertEquals(List.of(), stack.s3().keysUnder(STAGING), "staging objects after the job");
    Reliability.record(
        "spread-worker-killed",
        "chunks",
        chunks.size(),
        "killed_chunk_attempt",
        retried.attempt(),
        "kill_to_complete_seconds",
        completed);
  }

  /** Chunks at about a minute, one at a time, on this worker. */
  private static Map<String, String> spread(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("CONCAT_CHUNK_MIN_SECONDS", "60");
    env.put("CONCAT_CHUNK_SLOTS", "1");
    env.put("CONCAT_CHUNK_SPREAD", "true");
    return env;
  }

  private static void start(String jobId, AudioSet audio) {
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey(jobId)))
                .allowStreamCopy(false)
                .timeouts(new JobTimeouts(null, 5L, null, null, null, null, null))
                .build());
  }

  private static String outputKey(String jobId) {
    return "out/" + jobId + ".mp3";
  }

  private static PendingActivityInfo awaitChunkRunningOn(String jobId, WorkerJvm worker) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (PendingActivityInfo running : ChunkHistory.running(stack.temporal().client(), jobId)) {
        if (running.getLastWorkerIdentity().equals(worker.identity())) {
          return running;
        }
      }
      pause();
    }
    throw new AssertionError("job " + jobId + ": no chunk ran on " + worker + " within 60 s");
  }

  /** Every chunk index encoded exactly once; a chunk reported as reused was not encoded. */
  private static void assertEachChunkEncodedOnce(List<Completed> chunks) {
    TreeMap<Integer, Long> encodes =
        chunks.stream()
            .filter(c -> !c.result().reused())
            .collect(
                Collectors.groupingBy(
                    c -> c.result().index(), TreeMap::new, Collectors.counting()));
    assertTrue(encodes.size() >= 2, () -> "a job of 150 s is cut in chunks: " + chunks);
    assertEquals(encodes.size() - 1, encodes.lastKey(), () -> "chunks 0 to n-1: " + chunks);
    assertFalse(
        encodes.values().stream().anyMatch(n -> n > 1),
        () -> "chunks encoded more than once: " + encodes);
  }

  /**
   * The result reports the segments' duration, and the uploaded object decodes, by libsndfile, to
   * exactly their samples.
   */
  private long assertLastsExactlyAsLongAsItsSegments(
      AudioSet audio, ConcatResult result, String jobId) {
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    Path output = stack.s3().download(outputKey(jobId), downloads.resolve(jobId + ".mp3"));
    long expected = LibsndfileDecoder.samples(audio.files());
    assertEquals(expected, LibsndfileDecoder.samples(output), "samples decoded from the output");
    return expected;
  }

  /**
   * FFmpeg, a chunk encoder (the one command that writes no Xing frame: the join writes one for the
   * whole stream) first waiting 3 s.
   */
  private Path slowChunkEncoders() throws IOException {
    Path script = downloads.resolve("slow-chunks-ffmpeg.sh");
    Files.writeString(
        script,
        "#!/bin/sh\ncase \"$*\" in\n  *'-write_xing 0'*) sleep 3 ;;\nesac\nffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 60 s");
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
