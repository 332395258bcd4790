package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.testing.GeneratedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output's ranges measured while its chunks are still being joined ({@link
 * JoinedMp3Meter.Ranges}) read the same bytes as a measurement of the finished file. Were a range
 * started before its frames were written, it would read a hole of zeros or a cut frame and differ.
 */
class MeasuredWhileJoinedTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final int RATE = 44_100;
  private static final long RANGE = 3L * RATE;
  private static final Duration CHUNK = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void rangesMeasuredAsTheChunksAreJoinedReadAsTheFinishedFile() throws Exception {
    Path wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("notes.wav"),
                "aevalsrc='0.6*sin(2*PI*880*t)*exp(-15*mod(t\\,0.29))+0.3*sin(2*PI*220*t)*exp(-8*mod(t+0.1\\,0.47))'"
                    + ":s=44100:d=20.5",
                RATE,
                1));
    Path joined = dir.resolve("joined.mp3");
    var meter = new JoinedMp3Meter(new ChunkLoudnessMeter(FFMPEG, new ProcessLauncher(Map.of())));
    var cores = new EncoderCores(2);
    var measured = new AtomicLong();
    var measuredBeforeTheLastChunk = new AtomicBoolean();
    ChunkedMp3Join.Result result;
    ChunkLoudness whileJoined;
    try (JoinedMp3Meter.Ranges ranges = meter.ranges(joined, RATE, RANGE, cores, measured::set)) {
      JoinedFrames appended =
          (offsets, frames, end) -> {
            ranges.appended(offsets, frames, end);
            long decoded = (long) frames * ChunkGrid.FRAME_SAMPLES - ChunkGrid.TOTAL_DELAY;
            // By 12 s every range whose frames and pre-roll are written has started: the writer
            // waits here for one to finish, which it cannot if none started.
            if (decoded >= 4 * RANGE && decoded < 20 * RATE && !measuredBeforeTheLastChunk.get()) {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
              while (measured.get() == 0 && System.nanoTime() < deadline) {
                sleep();
              }
              measuredBeforeTheLastChunk.set(measured.get() > 0);
            }
          };
      result =
          new ChunkedMp3Join(
                  FFMPEG,
                  new ProcessLauncher(Map.of()),
                  new ChunkedMp3Join.Settings(96, CHUNK, 2, BitReservoir.CARRIED))
              .join(
                  GrowingWav.whole(wav),
                  0,
                  joined,
                  Files.createDirectories(dir.resolve("chunks")),
                  new byte[0],
                  cores,
                  s -> {},
                  appended);
      whileJoined = ranges.finish(Mp3Timeline.of(result));
    }
    assertTrue(
        measuredBeforeTheLastChunk.get(), "a range was measured before the last chunk was written");

    ChunkLoudness finished =
        meter.measure(joined, Mp3Timeline.of(result), RATE, RANGE, cores, s -> {});
    assertEquals(finished.integratedLufs(), whileJoined.integratedLufs(), 1e-9);
    assertEquals(finished.truePeakDb(), whileJoined.truePeakDb(), 1e-9);
    assertEquals(finished.loudnessRangeLu(), whileJoined.loudnessRangeLu(), 1e-9);
    assertEquals(result.samples(), measured.get(), "every sample measured once");
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
