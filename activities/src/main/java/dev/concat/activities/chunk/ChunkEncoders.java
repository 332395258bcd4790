package dev.concat.activities.chunk;

import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.workdir.WholeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chunk encodes on a pool of threads, each holding one of the worker's {@link EncoderCores} while
 * its FFmpeg runs: the encoder, then, for a chunk that can be metered alone ({@link
 * GridChunk#meteredSpan}: an MP3's, not an AAC's), the loudness meter over its own frames, whose
 * measurement is kept beside the chunk's file ({@link ChunkLoudnessFile}). A chunk whose file an
 * earlier attempt left whole ({@link ChunkFiles}) is not encoded or measured again. Closing stops
 * the encoders still running: each stops its FFmpeg before it returns.
 */
final class ChunkEncoders<C extends GridChunk> implements AutoCloseable {
  private final ChunkCodec<C> codec;
  private final ChunkLoudnessMeter meter;
  private final int sampleRate;
  private final EncoderCores cores;
  private final EncodedPrefix prefix;
  private final ExecutorService pool;
  private final AtomicInteger reused = new AtomicInteger();

  ChunkEncoders(
      ChunkCodec<C> codec,
      ChunkLoudnessMeter meter,
      int sampleRate,
      int encodersAtOnce,
      EncoderCores cores,
      EncodedPrefix prefix) {
    this.codec = codec;
    this.meter = meter;
    this.sampleRate = sampleRate;
    this.cores = cores;
    this.prefix = prefix;
    this.pool =
        Executors.newFixedThreadPool(
            encodersAtOnce,
            runnable -> {
              Thread thread = new Thread(runnable, "chunk-encoder");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Encodes {@code chunk} once its input is on disk; the future gives its file. */
  Future<Path> submit(C chunk) {
    return pool.submit(
        () -> {
          Path file = codec.file(chunk);
          if (Files.isRegularFile(file)) {
            reused.incrementAndGet();
          } else {
            cores.acquire();
            try {
              Path encoded = WholeFile.inProgress(file);
              codec.encode(chunk, encoded);
              // Before the chunk's file is whole: a whole chunk has its measurement.
              Optional<ChunkSpan> span = chunk.meteredSpan(chunk.inputStart(), sampleRate);
              if (span.isPresent()) {
                ChunkLoudnessFile.write(
                    meter.measureEncodedChunk(
                        encoded, codec.demuxer(), codec.decodedDelay(), span.get()),
                    ChunkLoudnessFile.beside(file));
              }
            } finally {
              cores.release();
            }
            WholeFile.finish(file);
          }
          prefix.done(chunk);
          return file;
        });
  }

  /**
   * Starts each of {@code expected} (the chunks an estimate of the source's length places) once its
   * input, post-roll included, is on disk, up to the first whose input the estimate cuts short:
   * each one started is the whole source's chunk of the same index.
   */
  Map<C, Future<Path>> startEarly(GrowingWav source, List<C> expected)
      throws IOException, InterruptedException {
    Map<C, Future<Path>> started = new HashMap<>();
    for (C chunk : expected) {
      long needed = chunk.fullInputEnd();
      if (chunk.last()
          || chunk.inputEnd() != needed
          || source.await(needed).sampleFrames() < needed) {
        break;
      }
      started.put(chunk, submit(chunk));
    }
    return started;
  }

  /** The chunk's file, once {@link #submit} encoded it. */
  static Path await(Future<Path> run) throws IOException, InterruptedException {
    try {
      return run.get();
    } catch (ExecutionException e) {
      throw TaskFailure.io(e, "a chunk's encode");
    }
  }

  /** Chunks an earlier attempt had encoded. */
  int reused() {
    return reused.get();
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(1, TimeUnit.MINUTES);
  }
}
