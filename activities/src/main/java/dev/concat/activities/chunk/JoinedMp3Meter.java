package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.UnusableAudioException;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Measures a joined MP3's loudness in ranges at once, each decoded by its own FFmpeg from a byte
 * range of the file ({@code subfile}) and metered in Java ({@link ChunkLoudnessMeter}); merged, the
 * ranges measure the whole programme. A stream copy is measured this way, and a chunked encode
 * whose chunks were not all measured by their encoders.
 *
 * <p>The first range is read from the file's start, so the Info frame trims the decoder's delay and
 * the audio starts at sample 0. A later range starts at a frame boundary {@link
 * #PRE_ROLL_SAMPLES_AT_44K} or more before the range, without the Info frame: frame v then decodes
 * from sample 1152 v - 1105 on (for LAME's delay; {@link Mp3Timeline}), exactly on the full
 * decode's timeline (measured: the same number of samples, bit-identical after the first 2778,
 * where the missing bit reservoir and overlap garble the first frames; and the same for a stream
 * copy of 100 MP3s).
 */
public final class JoinedMp3Meter {
  /**
   * The meter's 3 s for the short-term windows and 100 ms to settle its filter, after the first
   * frames that decode garbled, with room to spare.
   */
  static final long PRE_ROLL_SAMPLES_AT_44K = 3 * 44_100 + 4_410 + 5 * ChunkGrid.FRAME_SAMPLES;

  /** How far past a range its view reaches: the frame holding its last sample and its overlap. */
  private static final int POST_FRAMES = 2;

  private final ChunkLoudnessMeter meter;

  public JoinedMp3Meter(ChunkLoudnessMeter meter) {
    this.meter = meter;
  }

  /**
   * Measures the whole of {@code mp3} at once, each range on a thread of its own holding one of
   * {@code cores}.
   *
   * @param rangeLength samples each range owns
   * @param measuredThrough called, on a meter's thread, with the samples measured so far
   */
  public ChunkLoudness measure(
      Path mp3,
      Mp3Timeline timeline,
      int sampleRate,
      long rangeLength,
      EncoderCores cores,
      LongConsumer measuredThrough)
      throws IOException, InterruptedException {
    long preRoll = PRE_ROLL_SAMPLES_AT_44K * sampleRate / 44_100;
    var measured = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            cores.cores(),
            runnable -> {
              Thread thread = new Thread(runnable, "mp3-range-meter");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<ChunkLoudness>> ranges = new ArrayList<>();
      for (long start = 0; start < timeline.samples(); start += rangeLength) {
        long end = Math.min(timeline.samples(), start + rangeLength);
        View view = view(mp3, timeline, start, end, preRoll);
        ranges.add(
            pool.submit(
                () -> {
                  cores.acquire();
                  try {
                    ChunkLoudness loudness = meter.measure(view.input(), view.span());
                    measuredThrough.accept(measured.addAndGet(end - view.span().ownedStart()));
                    return loudness;
                  } finally {
                    cores.release();
                  }
                }));
      }
      List<ChunkLoudness> loudness = new ArrayList<>();
      for (Future<ChunkLoudness> range : ranges) {
        loudness.add(await(range));
      }
      return ChunkLoudness.merged(loudness);
    } finally {
      // Stops every range still running: each meter's FFmpeg is stopped when its thread is.
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** What FFmpeg reads for one range, and where its audio lies on the programme's timeline. */
  private record View(String input, ChunkSpan span) {}

  private static View view(Path mp3, Mp3Timeline timeline, long start, long end, long preRoll) {
    long endByte = timeline.offset(timeline.frameHolding(end) + POST_FRAMES);
    long firstFrame = timeline.frameHolding(start - preRoll);
    if (start - preRoll <= 0 || firstFrame <= 0) {
      return new View(subfile(mp3, 0, endByte), new ChunkSpan(0, start, end));
    }
    return new View(
        subfile(mp3, timeline.offset(firstFrame), endByte),
        new ChunkSpan(timeline.decodedStart(firstFrame), start, end));
  }

  /** FFmpeg's input for bytes [from, to) of {@code file}. */
  private static String subfile(Path file, long from, long to) {
    return "subfile,,start," + from + ",end," + to + ",,:" + file.toAbsolutePath();
  }

  private static ChunkLoudness await(Future<ChunkLoudness> range)
      throws IOException, InterruptedException {
    try {
      return range.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UnusableAudioException unusable) {
        throw new IOException("the joined MP3 does not decode: " + unusable.getMessage(), unusable);
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
