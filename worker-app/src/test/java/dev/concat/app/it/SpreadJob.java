package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.it.ChunkHistory.Completed;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.JobTimeouts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One job whose MP3 encode is spread over the test's workers: how the workers are set up for it,
 * and what a spread job must leave behind (each chunk encoded once, an output exactly as long as
 * its segments, no staging objects).
 */
final class SpreadJob {
  /** Everything a spread encode leaves in the bucket while its job runs. */
  static final String STAGING = ".concat-staging/";

  /** Segments of 50 s: a job of a few is chunked (from 60 s on) in chunks of about a minute. */
  static final double SEGMENT_SECONDS = 50.0;

  private final RealStack stack;
  private final String jobId;
  private final AudioSet audio;

  SpreadJob(RealStack stack, String jobId, int segments) {
    this.stack = stack;
    this.jobId = jobId;
    this.audio = AudioSet.sines(segments, SEGMENT_SECONDS);
  }

  /**
   * A worker's environment: chunks of about a minute, handed out in runs of {@code runSeconds} of
   * audio, one run at a time, encoded by {@code ffmpeg}.
   */
  static Map<String, String> worker(String ffmpeg, int runSeconds) {
    Map<String, String> env = new HashMap<>();
    env.put("FFMPEG_PATH", ffmpeg);
    env.put("CONCAT_CHUNK_RUN_SECONDS", String.valueOf(runSeconds));
    env.put("CONCAT_CHUNK_MIN_SECONDS", "60");
    env.put("CONCAT_CHUNK_SLOTS", "1");
    env.put("CONCAT_CHUNK_SPREAD", "true");
    return env;
  }

  /**
   * FFmpeg, except that a chunk encoder (the one command that writes no Xing frame: the join writes
   * one for the whole stream) first waits {@code seconds}; the script is written to {@code dir}.
   */
  static String slowChunkEncoders(Path dir, int seconds) throws IOException {
    return DelayedFfmpeg.script(
            dir, "chunks-after-" + seconds + "s-ffmpeg.sh", "*'-write_xing 0'*", "" + seconds)
        .toString();
  }

  /** Uploads the segments and starts the job, re-encoded, with a 5 s heartbeat timeout. */
  void start() {
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey()))
                .allowStreamCopy(false)
                .timeouts(new JobTimeouts(null, 5L, null, null, null, null, null))
                .build());
  }

  ConcatResult awaitResult(Duration limit) {
    return stack.jobs().awaitResult(jobId, limit);
  }

  /** Every run of chunks the job completed so far. */
  List<Completed> runs() {
    return ChunkHistory.completed(stack.temporal().client(), jobId);
  }

  /**
   * Every chunk was encoded once: the completed runs report as reused exactly the chunks their lost
   * attempts had stored ({@code encodedByLostAttempts}), none encoded again. Returns the chunks.
   */
  static int assertEachChunkEncodedOnce(List<Completed> runs, int encodedByLostAttempts) {
    int chunks = runs.stream().mapToInt(r -> r.result().chunks()).sum();
    int reused = runs.stream().mapToInt(r -> r.result().reused()).sum();
    assertTrue(chunks >= 2, () -> "a job of minutes is cut in chunks: " + runs);
    assertEquals(
        encodedByLostAttempts,
        reused,
        () -> "chunks reused, against those stored by lost attempts: " + runs);
    return chunks;
  }

  /**
   * The result reports the segments' duration, the uploaded object decodes, by libsndfile, to
   * exactly their samples, and no staging object is left; returns the samples.
   */
  long assertCompleteAndClean(ConcatResult result, Path downloads) {
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    Path output = stack.s3().download(outputKey(), downloads.resolve(jobId + ".mp3"));
    long expected = LibsndfileDecoder.samples(audio.files());
    assertEquals(expected, LibsndfileDecoder.samples(output), "samples decoded from the output");
    assertEquals(List.of(), stack.s3().keysUnder(STAGING), "staging objects after the job");
    return expected;
  }

  private String outputKey() {
    return "out/" + jobId + ".mp3";
  }

  /** Polls {@code condition} every 50 ms for up to 60 s. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 60 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
