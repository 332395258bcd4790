package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.WavFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * Encodes a PCM WAV source to one CBR MP3 as chunks on the {@link ChunkGrid}, several FFmpeg
 * processes at once, and joins them into a file that decodes to exactly the source's samples. The
 * chunk files live in a work directory ({@link ChunkFiles}) and are deleted once joined; after a
 * failure, the whole ones stay for the next attempt.
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
   */
  public record Result(
      long samples,
      long frames,
      long bytes,
      int chunks,
      int reusedChunks,
      int reencodedChunks,
      long[] frameOffsets) {}

  private final Settings settings;
  private final Mp3ChunkEncoder encoder;

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
  }

  public Result join(Path wav, Path output, Path workDir) throws IOException, InterruptedException {
    return join(
        wav, output, workDir, new byte[0], new EncoderCores(settings.encodersAtOnce()), s -> {});
  }

  /**
   * Joins into {@code output} after {@code tag} (an ID3v2 tag, or nothing), each encoder holding
   * one of {@code cores} while it runs.
   *
   * @param encodedThrough called, on an encoder's thread, with the source samples encoded from the
   *     start without a gap, each time a chunk is done
   */
  public Result join(
      Path wav,
      Path output,
      Path workDir,
      byte[] tag,
      EncoderCores cores,
      LongConsumer encodedThrough)
      throws IOException, InterruptedException {
    WavFile.Format format = WavFile.format(wav);
    var grid = new ChunkGrid(format.sampleFrames(), format.sampleRate(), settings.bitRateKbps());
    List<Mp3Chunk> chunks = grid.chunks(settings.chunkLength());
    var store = new ChunkFiles(workDir, wav, format, settings.bitRateKbps());
    boolean written = false;
    try {
      store.deleteUnfinished();
      Encoded encoded =
          encodeAll(
              wav,
              format.sampleRate(),
              chunks,
              store,
              cores,
              new EncodedPrefix(grid, chunks, encodedThrough));
      JoinedMp3Writer.Written joined =
          JoinedMp3Writer.write(
              grid,
              chunks,
              encoded.files(),
              output,
              tag,
              settings.reservoir(),
              chunk -> reencodeWithoutReservoir(wav, format.sampleRate(), chunk, store));
      written = true;
      return new Result(
          grid.samples(),
          grid.frameCount(),
          joined.bytes(),
          chunks.size(),
          encoded.reused(),
          joined.reencodedChunks(),
          joined.frameOffsets());
    } finally {
      // Whole chunks outlive a failed join: the next attempt on this host starts from them.
      if (written) {
        store.deleteAll();
      } else {
        store.deleteUnfinished();
      }
    }
  }

  private Mp3Frames reencodeWithoutReservoir(
      Path wav, int sampleRate, Mp3Chunk chunk, ChunkFiles store)
      throws IOException, InterruptedException {
    Path file = store.file(chunk, BitReservoir.OFF);
    if (!Files.isRegularFile(file)) {
      encoder.encode(wav, sampleRate, chunk, BitReservoir.OFF, ChunkFiles.inProgress(file));
      ChunkFiles.finish(file);
    }
    return Mp3Frames.read(file);
  }

  /**
   * @param files each chunk's file, in order
   * @param reused chunks an earlier attempt had encoded
   */
  private record Encoded(List<Path> files, int reused) {}

  private Encoded encodeAll(
      Path wav,
      int sampleRate,
      List<Mp3Chunk> chunks,
      ChunkFiles store,
      EncoderCores cores,
      EncodedPrefix prefix)
      throws IOException, InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            settings.encodersAtOnce(),
            runnable -> {
              Thread thread = new Thread(runnable, "mp3-chunk-encoder");
              thread.setDaemon(true);
              return thread;
            });
    var reused = new AtomicInteger();
    try {
      List<Future<Path>> runs = new ArrayList<>();
      for (Mp3Chunk chunk : chunks) {
        runs.add(
            pool.submit(
                () -> {
                  Path file = store.file(chunk, settings.reservoir());
                  if (Files.isRegularFile(file)) {
                    reused.incrementAndGet();
                  } else {
                    cores.acquire();
                    try {
                      encoder.encode(
                          wav,
                          sampleRate,
                          chunk,
                          settings.reservoir(),
                          ChunkFiles.inProgress(file));
                    } finally {
                      cores.release();
                    }
                    ChunkFiles.finish(file);
                  }
                  prefix.done(chunk);
                  return file;
                }));
      }
      List<Path> files = new ArrayList<>();
      for (Future<Path> run : runs) {
        files.add(await(run));
      }
      return new Encoded(files, reused.get());
    } finally {
      // Interrupts encoders still running after a failure: each stops its FFmpeg before it returns.
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Which chunks are done, reported as the samples from the start that no missing chunk holds up.
   */
  private static final class EncodedPrefix {
    private final ChunkGrid grid;
    private final List<Mp3Chunk> chunks;
    private final boolean[] done;
    private final LongConsumer listener;
    private int firstMissing;

    EncodedPrefix(ChunkGrid grid, List<Mp3Chunk> chunks, LongConsumer listener) {
      this.grid = grid;
      this.chunks = chunks;
      this.done = new boolean[chunks.size()];
      this.listener = listener;
    }

    void done(Mp3Chunk chunk) {
      long through;
      synchronized (this) {
        done[chunk.index()] = true;
        while (firstMissing < done.length && done[firstMissing]) {
          firstMissing++;
        }
        // Frame j ends at source sample 1152 (j + 1) - 1105; the missing chunk's first frame is
        // the first not done.
        through =
            firstMissing == done.length
                ? grid.samples()
                : Math.max(
                    0,
                    chunks.get(firstMissing).firstFrame() * ChunkGrid.FRAME_SAMPLES
                        - ChunkGrid.TOTAL_DELAY);
      }
      listener.accept(through);
    }
  }

  private static <T> T await(Future<T> run) throws IOException, InterruptedException {
    try {
      return run.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
