package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.UnusableAudioException;
import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.workdir.ChunkCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Encodes a PCM WAV source to one AAC stream in ADTS as chunks on the {@link AacChunkGrid}, several
 * FFmpeg processes at once, and joins their frames into the stream one encoder would have framed:
 * the same frames on the same grid, each chunk's pre-roll dropped. The MP4 muxer then puts it in an
 * M4A. The joined stream's loudness is measured by decoding it whole, as a player decodes it
 * ({@link AacChunk#meteredSpan} says why not by chunks). The chunk files live in a work directory
 * ({@link ChunkFiles}) and are deleted once joined; after a failure, the whole ones stay for the
 * next attempt.
 */
public final class ChunkedAacJoin {

  /**
   * @param bitRateKbps the encoder's rate
   * @param chunkLength about how long each chunk is: each costs {@link
   *     AacChunkGrid#PRE_ROLL_SECONDS} more to encode
   * @param encodersAtOnce FFmpeg processes running at the same time
   */
  public record Settings(int bitRateKbps, Duration chunkLength, int encodersAtOnce) {
    public Settings {
      if (encodersAtOnce < 1) {
        throw new IllegalArgumentException("at least one encoder, not " + encodersAtOnce);
      }
    }
  }

  /**
   * @param samples source samples per channel, which the stream holds after its priming
   * @param frames ADTS frames in the stream
   * @param lastFrameSamples source samples in the last frame (its duration in a sample table)
   * @param chunks chunks in the stream
   * @param reusedChunks chunks an earlier attempt on this host had encoded, not encoded again
   * @param loudness the stream's loudness, from its priming's end to its last source sample
   */
  public record Result(
      long samples,
      long frames,
      int lastFrameSamples,
      int chunks,
      int reusedChunks,
      ChunkLoudness loudness) {}

  private final Path ffmpeg;
  private final ProcessLauncher launcher;
  private final Settings settings;
  private final ChunkLoudnessMeter meter;

  public ChunkedAacJoin(Path ffmpeg, ProcessLauncher launcher, Settings settings) {
    this.ffmpeg = ffmpeg;
    this.launcher = launcher;
    this.settings = settings;
    this.meter = new ChunkLoudnessMeter(ffmpeg, launcher);
  }

  public Result join(Path wav, Path output, Path workDir) throws IOException, InterruptedException {
    return join(wav, output, workDir, ChunkCache.NONE);
  }

  /** As {@link #join(Path, Path, Path)}, using and adding to the host's kept chunks. */
  public Result join(Path wav, Path output, Path workDir, ChunkCache cache)
      throws IOException, InterruptedException {
    return join(
        GrowingWav.whole(wav),
        0,
        output,
        workDir,
        cache,
        new EncoderCores(settings.encodersAtOnce()),
        s -> {},
        s -> {});
  }

  /**
   * Joins into {@code output}, each encoder holding one of {@code cores} while it runs. While
   * {@code source} is still being written, the chunks that {@code expectedSamples} places before
   * its end start as soon as their input is on disk.
   *
   * @param expectedSamples about how long the source will be; 0 when unknown
   * @param cache the host's chunks kept after their jobs: one encoded from the same input is not
   *     encoded again, and the chunks of the written join are kept there
   * @param encodedThrough called, on an encoder's thread, with the source samples encoded from the
   *     start without a gap, each time a chunk is done
   * @param measuredThrough called, on the calling thread, with the samples of the joined stream
   *     measured so far, as its measurement advances
   */
  public Result join(
      GrowingWav source,
      long expectedSamples,
      Path output,
      Path workDir,
      ChunkCache cache,
      EncoderCores cores,
      LongConsumer encodedThrough,
      LongConsumer measuredThrough)
      throws IOException, InterruptedException {
    WavFile.Format head = source.awaitHeader();
    var store = new ChunkFiles(workDir, source.file(), head, settings.bitRateKbps(), cache);
    var prefix = new EncodedPrefix(encodedThrough);
    boolean written = false;
    try (var encoders =
        new ChunkEncoders<>(
            codec(store, source.file(), head.sampleRate()),
            meter,
            head.sampleRate(),
            settings.encodersAtOnce(),
            cores,
            prefix)) {
      store.deleteUnfinished();
      Map<AacChunk, Future<Path>> early =
          expectedSamples > 0
              ? encoders.startEarly(
                  source,
                  new AacChunkGrid(expectedSamples, head.sampleRate())
                      .chunks(settings.chunkLength()))
              : Map.of();
      WavFile.Format format = source.awaitWhole();
      var grid = new AacChunkGrid(format.sampleFrames(), format.sampleRate());
      List<AacChunk> chunks = grid.chunks(settings.chunkLength());
      prefix.plan(grid.samples(), chunks);
      List<Future<Path>> runs = new ArrayList<>();
      for (AacChunk chunk : chunks) {
        Future<Path> run = early.get(chunk);
        runs.add(run != null ? run : encoders.submit(chunk));
      }
      long frames = 0;
      try (FileChannel out =
          FileChannel.open(
              output,
              StandardOpenOption.WRITE,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        // Each chunk goes into the stream as soon as it and those before it are encoded.
        for (int c = 0; c < chunks.size(); c++) {
          frames += append(chunks.get(c), ChunkEncoders.await(runs.get(c)), out);
        }
      }
      if (frames != grid.frameCount()) {
        throw new IOException(
            "the chunks hold "
                + frames
                + " frames; "
                + grid.samples()
                + " samples need "
                + grid.frameCount());
      }
      ChunkLoudness loudness = measure(output, grid, measuredThrough);
      written = true;
      return new Result(
          grid.samples(),
          frames,
          grid.lastFrameSamples(),
          chunks.size(),
          encoders.reused(),
          loudness);
    } finally {
      // Whole chunks outlive a failed join: the next attempt on this host starts from them.
      if (written) {
        store.deleteAll();
      } else {
        store.deleteUnfinished();
      }
    }
  }

  private ChunkLoudness measure(Path stream, AacChunkGrid grid, LongConsumer measuredThrough)
      throws IOException, InterruptedException {
    try {
      return meter.measureEncodedChunk(
          stream,
          "aac",
          AacChunkGrid.PRIMING,
          new ChunkSpan(0, 0, grid.samples()),
          micros -> measuredThrough.accept(micros * grid.sampleRate() / 1_000_000));
    } catch (UnusableAudioException e) {
      throw new IOException("the joined AAC stream does not decode: " + e.getMessage(), e);
    }
  }

  /** Writes the chunk's own frames, its pre-roll dropped; returns how many. */
  private static long append(AacChunk chunk, Path file, FileChannel out) throws IOException {
    AdtsFrames encoded = AdtsFrames.read(file);
    int from = chunk.framesToDrop();
    int to = chunk.keptEnd(encoded.count(), file);
    ByteBuffer own = encoded.frames(from, to);
    while (own.hasRemaining()) {
      out.write(own);
    }
    return to - from;
  }

  /** The chunks of {@code wav} encoded by FFmpeg's AAC encoder into ADTS. */
  private ChunkCodec<AacChunk> codec(ChunkFiles store, Path wav, int sampleRate) {
    return new ChunkCodec<>() {
      @Override
      public Path file(AacChunk chunk) throws IOException {
        return store.file(chunk);
      }

      @Override
      public void encode(AacChunk chunk, Path output) throws IOException, InterruptedException {
        ChunkProcess.run(
            launcher,
            AacChunkCommand.command(ffmpeg, wav, sampleRate, chunk, settings.bitRateKbps(), output),
            "encoding AAC chunk "
                + chunk.index()
                + " (samples "
                + chunk.inputStart()
                + "-"
                + chunk.inputEnd()
                + " of "
                + wav
                + ")");
      }

      @Override
      public String demuxer() {
        return "aac";
      }

      @Override
      public int decodedDelay() {
        return AacChunkGrid.PRIMING;
      }
    };
  }
}
