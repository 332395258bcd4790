package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;

/**
 * The activity thread's watch over a chunked encode running on other threads: the chunk encoders
 * and range meters report here as each finishes, and the activity thread heartbeats for each (so a
 * stuck chunk stops the heartbeats), gives up when the worker shuts down or Temporal cancels, and
 * fails the encode as stalled when nothing finished and no chunk file grew for the stall limit.
 */
final class ChunkedEncodeWatch {
  private static final long POLL_MILLIS = 200;

  /** What is watched, as failures name it: "chunked MP3 encode", say. */
  private final String work;

  private final AtomicLong encoded = new AtomicLong();
  private final AtomicLong measured = new AtomicLong(-1);
  private final AtomicInteger finished = new AtomicInteger();

  /** Whether the stream is whole, so that what finishes now is its measurement. */
  private volatile boolean joined;

  ChunkedEncodeWatch(String work) {
    this.work = work;
  }

  /** A chunk finished; {@code samples} from the start are encoded without a gap. */
  void encoded(long samples) {
    encoded.set(samples);
    finished.incrementAndGet();
  }

  /** The output is whole: from now on the heartbeats report its measurement. */
  void joined() {
    joined = true;
  }

  /**
   * A range of the output was measured; {@code samples} are measured so far. Before the output is
   * whole ({@link #joined}), it counts as work finished, while the heartbeats report the encode.
   */
  void measured(long samples) {
    measured.set(samples);
    finished.incrementAndGet();
  }

  /**
   * Waits for {@code result}, watching the work behind it.
   *
   * @param encodedSeconds called on this thread with the seconds encoded from the start, as chunks
   *     finish
   * @param workDir where the chunk files grow
   * @param output the joined file, which grows once the chunks are done
   */
  <T> T await(
      String jobId,
      CompletableFuture<T> result,
      ShutdownGate gate,
      PhaseProgress progress,
      DoubleConsumer encodedSeconds,
      Path workDir,
      Path output,
      Duration stallLimit,
      int sampleRate)
      throws IOException, InterruptedException {
    int reported = 0;
    long bestBytes = -1;
    long lastAdvance = System.nanoTime();
    while (true) {
      try {
        return result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // Still working: look at it below.
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw new IOException(
              FailureSubject.job(jobId).describe(work + " failed: " + io.getMessage()), io);
        }
        throw new IllegalStateException(
            FailureSubject.job(jobId).describe(work + " failed"), e.getCause());
      }
      gate.throwIfClosed();
      progress.throwIfStopped();
      // Every finished chunk heartbeats, even one behind an unfinished chunk that holds the
      // encoded prefix back: only when none finishes do the heartbeats stop.
      int done = finished.get();
      boolean advanced = done > reported;
      if (advanced) {
        reported = done;
        long measuredSamples = measured.get();
        if (!joined || measuredSamples < 0) {
          encodedSeconds.accept((double) encoded.get() / sampleRate);
        } else {
          progress.heartbeat(
              new ConcatHeartbeat("measure", 0, measuredSamples * 1_000_000 / sampleRate));
        }
      }
      long bytes = bytesWritten(workDir, output);
      if (advanced || bytes > bestBytes) {
        bestBytes = Math.max(bestBytes, bytes);
        lastAdvance = System.nanoTime();
      } else if (System.nanoTime() - lastAdvance > stallLimit.toNanos()) {
        throw FailureType.FFMPEG_STALLED.failure(
            FailureSubject.job(jobId)
                .describe(
                    "no chunk encoder or meter finished or wrote anything for "
                        + stallLimit.toSeconds()
                        + " s ("
                        + bestBytes
                        + " bytes written); they were killed"));
      }
    }
  }

  private static long bytesWritten(Path workDir, Path output) throws IOException {
    long bytes = Files.exists(output) ? Files.size(output) : 0;
    try (Stream<Path> files = Files.list(workDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        try {
          bytes += Files.size(file);
        } catch (NoSuchFileException e) {
          // Joined and deleted between the listing and now.
        }
      }
    }
    return bytes;
  }
}
