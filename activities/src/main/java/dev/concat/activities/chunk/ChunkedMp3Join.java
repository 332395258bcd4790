package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.GatingBlocks;
import dev.concat.activities.workdir.ChunkCache;
import dev.concat.activities.workdir.WholeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * Encodes a PCM WAV source to one CBR MP3 as chunks on the {@link ChunkGrid}, several FFmpeg
 * processes at once, and joins them into a file that decodes to exactly the source's samples; each
 * chunk's encoder measures the chunk's loudness, and the chunks' measurements merged are the
 * file's. The chunk files live in a work directory ({@link ChunkFiles}) and are deleted once
 * joined; after a failure, the whole ones stay for the next attempt.
 */
public final class ChunkedMp3Join {

  /**
   * @param bitRateKbps CBR rate
   * @param chunkLength about how long each chunk is
   * @param encodersAtOnce FFmpeg processes running at the same time
   * @param reservoir whether encoders use the bit reservoir, carried across seams
   */
  public record Settings(
      int bitRateKbps, Duration chunkLength, int encodersAtOnce, BitReservoir reservoir) {
    public Settings {
      if (encodersAtOnce < 1) {
        throw new IllegalArgumentException("at least one encoder, not " + encodersAtOnce);
      }
    }
  }

  /**
   * @param samples source samples per channel, which the output decodes to
   * @param frames audio frames, the Info frame not counted
   * @param bytes bytes of the output file
   * @param chunks chunks in the output
   * @param reusedChunks chunks an earlier attempt on this host had encoded, not encoded again
   * @param reencodedChunks chunks encoded again with the reservoir off: no room to carry their
   *     reservoir
   * @param frameOffsets where each audio frame starts in the output file
   * @param loudness the output's loudness, merged from its chunks' measurements; null when a chunk
   *     has none (encoded by an earlier version) or was encoded again at a seam after it was
   *     measured, and the output must be measured itself
   */
  public record Result(
      long samples,
      long frames,
      long bytes,
      int chunks,
      int reusedChunks,
      int reencodedChunks,
      long[] frameOffsets,
      ChunkLoudness loudness) {}

  private final Settings settings;
  private final Mp3ChunkEncoder encoder;
  private final ChunkLoudnessMeter meter;

  public ChunkedMp3Join(Path ffmpeg, ProcessLauncher launcher, Settings settings) {
    this(ffmpeg, launcher, settings, UnaryOperator.identity());
  }

  ChunkedMp3Join(
      Path ffmpeg,
      ProcessLauncher launcher,
      Settings settings,
      UnaryOperator<List<String>> commandEdit) {
    this.settings = settings;
    this.encoder = new Mp3ChunkEncoder(ffmpeg, launcher, settings.bitRateKbps(), commandEdit);
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
        new byte[0],
        new EncoderCores(settings.encodersAtOnce()),
        s -> {});
  }

  /**
   * Joins into {@code output} after {@code tag} (an ID3v2 tag, or nothing), each encoder holding
   * one of {@code cores} while it runs. While {@code source} is still being written, the chunks
   * that {@code expectedSamples} places before its end start as soon as their input is on disk.
   *
   * @param expectedSamples about how long the source will be; 0 when unknown
   * @param cache the host's chunks kept after their jobs: one encoded from the same input is not
   *     encoded again, and the chunks of the written join are kept there
   * @param encodedThrough called, on an encoder's thread, with the source samples encoded from the
   *     start without a gap, each time a chunk is done
   */
  public Result join(
      GrowingWav source,
      long expectedSamples,
      Path output,
      Path workDir,
      ChunkCache cache,
      byte[] tag,
      EncoderCores cores,
      LongConsumer encodedThrough)
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
      Map<Mp3Chunk, Future<Path>> early =
          expectedSamples > 0
              ? encoders.startEarly(
                  source,
                  new ChunkGrid(expectedSamples, head.sampleRate(), settings.bitRateKbps())
                      .chunks(settings.chunkLength()))
              : Map.of();
      WavFile.Format format = source.awaitWhole();
      var grid = new ChunkGrid(format.sampleFrames(), format.sampleRate(), settings.bitRateKbps());
      List<Mp3Chunk> chunks = grid.chunks(settings.chunkLength());
      prefix.plan(grid.samples(), chunks);
      List<Future<Path>> runs = new ArrayList<>();
      for (Mp3Chunk chunk : chunks) {
        Future<Path> run = early.get(chunk);
        runs.add(run != null ? run : encoders.submit(chunk));
      }
      JoinedMp3Writer.Written joined;
      List<Path> files = new ArrayList<>();
      try (var writer =
          JoinedMp3Writer.open(
              grid,
              output,
              tag,
              settings.reservoir(),
              chunk ->
                  reencodeWithoutReservoir(source.file(), format.sampleRate(), chunk, store))) {
        // Each chunk goes into the file as soon as it and the one after it are encoded.
        for (int c = 0; c < chunks.size(); c++) {
          files.add(ChunkEncoders.await(runs.get(c)));
          writer.add(chunks.get(c), files.get(c));
        }
        joined = writer.finish();
      }
      ChunkLoudness loudness =
          joined.reencodedChunks() == 0
              ? measured(files, grid.samples(), grid.sampleRate()).orElse(null)
              : null;
      written = true;
      return new Result(
          grid.samples(),
          grid.frameCount(),
          joined.bytes(),
          chunks.size(),
          encoders.reused(),
          joined.reencodedChunks(),
          joined.frameOffsets(),
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

  /**
   * The chunks' measurements merged, if every chunk has one and together they hold every gating
   * block of the programme of {@code samples} (they do unless a file is not what its name says).
   */
  private static Optional<ChunkLoudness> measured(
      List<Path> chunkFiles, long samples, int sampleRate) {
    List<ChunkLoudness> chunks = new ArrayList<>();
    for (Path file : chunkFiles) {
      Optional<ChunkLoudness> chunk = ChunkLoudnessFile.read(ChunkLoudnessFile.beside(file));
      if (chunk.isEmpty()) {
        return Optional.empty();
      }
      chunks.add(chunk.get());
    }
    try {
      ChunkLoudness merged = ChunkLoudness.merged(chunks);
      GatingBlocks blocks = merged.blocks();
      boolean whole =
          blocks.firstBlock() == 0 && blocks.endBlock() == GatingBlocks.count(samples, sampleRate);
      return whole ? Optional.of(merged) : Optional.empty();
    } catch (IllegalArgumentException gapOrOverlap) {
      return Optional.empty();
    }
  }

  /** The chunks of {@code wav} encoded by LAME with this join's bit reservoir. */
  private ChunkCodec<Mp3Chunk> codec(ChunkFiles store, Path wav, int sampleRate) {
    return new ChunkCodec<>() {
      @Override
      public Path file(Mp3Chunk chunk) throws IOException {
        return store.file(chunk, settings.reservoir());
      }

      @Override
      public void encode(Mp3Chunk chunk, Path output) throws IOException, InterruptedException {
        encoder.encode(wav, sampleRate, chunk, settings.reservoir(), output);
      }

      @Override
      public String demuxer() {
        return "mp3";
      }

      @Override
      public int decodedDelay() {
        return ChunkGrid.TOTAL_DELAY;
      }
    };
  }

  private Mp3Frames reencodeWithoutReservoir(
      Path wav, int sampleRate, Mp3Chunk chunk, ChunkFiles store)
      throws IOException, InterruptedException {
    Path file = store.file(chunk, BitReservoir.OFF);
    if (!Files.isRegularFile(file)) {
      encoder.encode(wav, sampleRate, chunk, BitReservoir.OFF, WholeFile.inProgress(file));
      WholeFile.finish(file);
    }
    return Mp3Frames.read(file);
  }
}
