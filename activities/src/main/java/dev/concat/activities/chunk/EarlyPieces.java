package dev.concat.activities.chunk;

import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.ffmpeg.WavFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stages the PCM pieces of a join that FFmpeg is still decoding, each as soon as its input is on
 * disk, so that the staging after the decode has only the last pieces left to put. Which chunks
 * come before the end is what the probes' estimate of the length says, as for the local encoders
 * that start early ({@link ChunkedMp3Join}); a piece is named by its chunk and its input, so one
 * staged for a chunk the whole decode then places elsewhere is merely not used.
 */
public final class EarlyPieces {
  /**
   * Pieces sent at once. One at a time, the PUTs set the pace: a 2-hour join's 120 pieces took 15.6
   * s to stage on loopback against 6.4 s for its decode alone; three at once, 10.4-13.3 s.
   */
  static final int PUTS_AT_ONCE = 3;

  /** How often a wait for the decode looks whether a piece sent meanwhile failed. */
  private static final Duration SEND_CHECK = Duration.ofMillis(200);

  /** How long the senders get to stop once a piece failed or the stager was interrupted. */
  private static final long STOP_SECONDS = 30;

  private final int bitRateKbps;
  private final Duration chunkLength;
  private final BitReservoir reservoir;

  public EarlyPieces(int bitRateKbps, Duration chunkLength, BitReservoir reservoir) {
    this.bitRateKbps = bitRateKbps;
    this.chunkLength = chunkLength;
    this.reservoir = reservoir;
  }

  /**
   * @param inStore the pieces in the store now, in chunk order
   * @param put how many of them this stager put there (the others an earlier attempt did)
   */
  public record Staged(List<PcmPieces.Piece> inStore, int put) {}

  /** A piece on its way into the store: sent by {@code sent}, or there already when null. */
  private record Sending(PcmPieces.Piece piece, Future<?> sent) {}

  /**
   * Puts into {@code store} the pieces of {@code source} that {@code expectedSamples} places before
   * its end, as their input arrives, through files in {@code scratchDir}, telling {@code onStaged}
   * of each in chunk order.
   */
  public Staged stage(
      GrowingWav source,
      long expectedSamples,
      PieceStore store,
      Path scratchDir,
      Consumer<PcmPieces.Piece> onStaged)
      throws IOException, InterruptedException {
    List<PcmPieces.Piece> staged = new ArrayList<>();
    if (expectedSamples <= 0) {
      return new Staged(staged, 0);
    }
    WavFile.Format head = source.awaitHeader();
    var pieces = PcmPieces.growing(source.file(), head, bitRateKbps, reservoir);
    var expected = new ChunkGrid(expectedSamples, head.sampleRate(), bitRateKbps);
    Files.createDirectories(scratchDir);
    ExecutorService senders = Executors.newFixedThreadPool(PUTS_AT_ONCE);
    Deque<Sending> sending = new ArrayDeque<>();
    List<Path> written = new ArrayList<>();
    int put = 0;
    try {
      for (Mp3Chunk chunk : expected.chunks(chunkLength)) {
        long needed = (chunk.endFrame() + ChunkGrid.POST_ROLL) * ChunkGrid.FRAME_SAMPLES;
        if (chunk.last()
            || chunk.inputEnd() != needed
            || awaitInput(source, needed, sending).sampleFrames() < needed) {
          break;
        }
        PcmPieces.Piece piece = pieces.piece(chunk);
        Future<?> sent = null;
        if (!store.holds(piece.inputName(), pieces.bytes(piece))) {
          Path file = scratchDir.resolve(piece.inputName());
          written.add(file);
          pieces.write(piece, file);
          sent = senders.submit(sendAndDelete(store, piece, file));
          put++;
        }
        sending.add(new Sending(piece, sent));
        // The oldest pieces are told first; at most PUTS_AT_ONCE files wait on disk.
        while (sending.size() >= PUTS_AT_ONCE) {
          staged.add(told(sending.poll(), onStaged));
        }
      }
      while (!sending.isEmpty()) {
        staged.add(told(sending.poll(), onStaged));
      }
    } finally {
      senders.shutdownNow();
      senders.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
      // A piece sent is deleted by its sender; what a failure left behind goes here.
      for (Path file : written) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(scratchDir);
    }
    return new Staged(staged, put);
  }

  /**
   * Waits for the decode to write {@code frames}, failing as soon as a piece sent meanwhile failed:
   * the wait may be a minute of the decode, spent in vain once the staging has failed.
   */
  private static WavFile.Format awaitInput(GrowingWav source, long frames, Deque<Sending> sending)
      throws IOException, InterruptedException {
    WavFile.Format input;
    while ((input = source.await(frames, SEND_CHECK)) == null) {
      for (Sending piece : sending) {
        if (piece.sent() != null && piece.sent().isDone()) {
          try {
            piece.sent().get();
          } catch (ExecutionException e) {
            throw failure(piece, e);
          }
        }
      }
    }
    return input;
  }

  private static Callable<Void> sendAndDelete(PieceStore store, PcmPieces.Piece piece, Path file) {
    return () -> {
      store.put(piece.chunk().index(), piece.inputName(), file);
      Files.delete(file);
      return null;
    };
  }

  /** Waits until {@code sending} is in the store, then tells {@code onStaged}. */
  private static PcmPieces.Piece told(Sending sending, Consumer<PcmPieces.Piece> onStaged)
      throws IOException, InterruptedException {
    if (sending.sent() != null) {
      try {
        sending.sent().get();
      } catch (ExecutionException e) {
        throw failure(sending, e);
      }
    }
    onStaged.accept(sending.piece());
    return sending.piece();
  }

  private static IOException failure(Sending sending, ExecutionException failed) {
    return TaskFailure.io(failed, "putting piece " + sending.piece().inputName());
  }
}
