package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.EarlyPieces;
import dev.concat.activities.chunk.GrowingWav;
import dev.concat.activities.chunk.Mp3Chunk;
import dev.concat.activities.chunk.PcmPieces;
import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's part of a spread chunked encode before the chunks are encoded elsewhere: decodes the
 * join to PCM as {@link ChunkedJoinEncode} does (or keeps an earlier attempt's decode), and puts
 * each chunk's input into a {@link PieceStore} unless it is there already. The decode stays in the
 * job's work directory: the join that follows, with the encoded chunks fetched back into {@link
 * JobWorkDir#chunksDir()}, reads it again and encodes nothing.
 */
final class JoinStaging {
  private static final Logger log = LoggerFactory.getLogger(JoinStaging.class);

  /** How long the early stager gets to stop after the decode failed. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;
  private final Duration chunkLength;

  JoinStaging(FfmpegSupervisor supervisor, ShutdownGate gate, Duration chunkLength) {
    this.supervisor = supervisor;
    this.gate = gate;
    this.chunkLength = chunkLength;
  }

  /**
   * Returns the chunks in output order, their inputs starting at sample 0 of their own piece.
   *
   * @param expectedSeconds about how long the join is (the probes' estimate): the pieces before its
   *     end are staged while the join is still being decoded
   */
  List<StagedChunk> stage(
      JobWorkDir dir,
      JoinCommand join,
      Encoding encoding,
      double expectedSeconds,
      Duration stallLimit,
      PhaseProgress progress,
      PieceStore store)
      throws IOException, InterruptedException {
    var pcm = new JoinedPcm(dir, join, encoding);
    EarlyPieces.Staged early = new EarlyPieces.Staged(List.of(), 0);
    if (!pcm.keptWhole()) {
      long expectedSamples = (long) (expectedSeconds * encoding.sampleRate());
      early = decodeStagingEarly(dir, pcm, encoding, expectedSamples, stallLimit, progress, store);
    }
    // The bit reservoir as ChunkedJoinEncode uses it, so that the chunks have the names it expects.
    var pieces =
        new PcmPieces(
            pcm.file(), encoding.bitrateKbps(), chunkLength, BitReservoir.CARRIED, early.inStore());
    // One piece on disk at a time: together they would take as much room as the decode.
    Path file = dir.root().resolve("staging-piece.wav");
    Set<PcmPieces.Piece> stagedEarly = Set.copyOf(early.inStore());
    List<StagedChunk> staged = new ArrayList<>();
    int uploaded = 0;
    try {
      for (PcmPieces.Piece piece : pieces.pieces()) {
        gate.throwIfClosed();
        if (!stagedEarly.contains(piece) && !store.holds(piece.inputName(), pieces.bytes(piece))) {
          pieces.write(piece, file);
          store.put(piece.chunk().index(), piece.inputName(), file);
          uploaded++;
        }
        Mp3Chunk chunk = piece.chunk();
        staged.add(
            new StagedChunk(
                chunk.index(),
                piece.inputName(),
                piece.outputName(),
                chunk.firstFrame(),
                chunk.endFrame(),
                piece.inputSamples(),
                chunk.framesToDrop(),
                chunk.last()));
        heartbeatStaged(progress, chunk, encoding);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    log.info(
        "job {}: staged {} chunks under {} ({} while the join was decoded, {} after it, the rest"
            + " by an earlier attempt)",
        dir.jobId(),
        staged.size(),
        store.prefix(),
        early.put(),
        uploaded);
    return staged;
  }

  /** Each piece staged is progress: a stager stuck on S3 stops heartbeating. */
  private static void heartbeatStaged(PhaseProgress progress, Mp3Chunk chunk, Encoding encoding) {
    progress.heartbeat(
        new ConcatHeartbeat(
            "stage", chunk.index() + 1, chunk.inputEnd() * 1_000_000 / encoding.sampleRate()));
  }

  /**
   * Decodes the join on this thread while another stages the pieces already on disk ({@link
   * EarlyPieces}), which heartbeats each piece it puts, so that a backlog of pieces left after the
   * decode keeps the activity alive while it is put.
   */
  private EarlyPieces.Staged decodeStagingEarly(
      JobWorkDir dir,
      JoinedPcm pcm,
      Encoding encoding,
      long expectedSamples,
      Duration stallLimit,
      PhaseProgress progress,
      PieceStore store)
      throws IOException, InterruptedException {
    String jobId = dir.jobId();
    GrowingWav source = GrowingWav.writing(pcm.file());
    var early = new EarlyPieces(encoding.bitrateKbps(), chunkLength, BitReservoir.CARRIED);
    Path scratch = dir.root().resolve("staging-pieces-early");
    CompletableFuture<EarlyPieces.Staged> staged = new CompletableFuture<>();
    Thread stager =
        new Thread(
            ActivityLogContext.carry(
                () -> {
                  try {
                    staged.complete(
                        early.stage(
                            source,
                            expectedSamples,
                            store,
                            scratch,
                            piece -> heartbeatStaged(progress, piece.chunk(), encoding)));
                  } catch (Throwable e) {
                    staged.completeExceptionally(e);
                  }
                }),
            "early-pieces-" + jobId);
    stager.start();
    try {
      // A stager that failed stops the decode: the rest of it would be spent on a failed attempt.
      pcm.run(
          supervisor,
          stallLimit,
          progress,
          () -> {
            if (staged.isCompletedExceptionally()) {
              throw new StagerFailed();
            }
          });
      source.finished();
      return staged.get();
    } catch (StagerFailed | ExecutionException failed) {
      // The stager's failure (S3 refusing a piece, the attempt cancelled) is the staging's.
      throw stagerFailure(staged, jobId);
    } catch (IOException | InterruptedException | RuntimeException e) {
      source.failed(new IOException(e.getMessage(), e));
      stager.interrupt();
      throw e;
    } finally {
      stager.join(STOP_BOUND.toMillis());
    }
  }

  /** Thrown into the decode to stop it once the stager has failed. */
  private static final class StagerFailed extends RuntimeException {
    StagerFailed() {
      super(null, null, false, false);
    }
  }

  /** The failure of a stager that is known to have failed. */
  private static IOException stagerFailure(
      CompletableFuture<EarlyPieces.Staged> staged, String jobId) throws InterruptedException {
    try {
      staged.get();
    } catch (ExecutionException failed) {
      return TaskFailure.io(failed, jobId + ": staging pieces");
    }
    throw new IllegalStateException(jobId + ": the early stager had not failed");
  }
}
