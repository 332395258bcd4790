package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.Mp3Chunk;
import dev.concat.activities.chunk.PcmPieces;
import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;
  private final Duration chunkLength;

  JoinStaging(FfmpegSupervisor supervisor, ShutdownGate gate, Duration chunkLength) {
    this.supervisor = supervisor;
    this.gate = gate;
    this.chunkLength = chunkLength;
  }

  /** Returns the chunks in output order, their inputs starting at sample 0 of their own piece. */
  List<StagedChunk> stage(
      JobWorkDir dir,
      JoinCommand join,
      Encoding encoding,
      Duration stallLimit,
      PhaseProgress progress,
      PieceStore store)
      throws IOException, InterruptedException {
    var pcm = new JoinedPcm(dir, join, encoding);
    if (!pcm.keptWhole()) {
      pcm.run(supervisor, stallLimit, progress);
    }
    // The bit reservoir as ChunkedJoinEncode uses it, so that the chunks have the names it expects.
    var pieces =
        new PcmPieces(pcm.file(), encoding.bitrateKbps(), chunkLength, BitReservoir.CARRIED);
    // One piece on disk at a time: together they would take as much room as the decode.
    Path file = dir.root().resolve("staging-piece.wav");
    List<StagedChunk> staged = new ArrayList<>();
    int uploaded = 0;
    try {
      for (PcmPieces.Piece piece : pieces.pieces()) {
        gate.throwIfClosed();
        if (!store.holds(piece.inputName(), pieces.bytes(piece))) {
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
        progress.heartbeat(
            new ConcatHeartbeat(
                "stage", chunk.index() + 1, chunk.inputEnd() * 1_000_000 / pieces.sampleRate()));
      }
    } finally {
      Files.deleteIfExists(file);
    }
    log.info(
        "job {}: staged {} chunks under {} ({} uploaded, {} staged by an earlier attempt)",
        dir.jobId(),
        staged.size(),
        store.prefix(),
        uploaded,
        staged.size() - uploaded);
    return staged;
  }
}
