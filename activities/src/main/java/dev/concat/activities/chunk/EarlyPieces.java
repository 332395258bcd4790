package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.WavFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stages the PCM pieces of a join that FFmpeg is still decoding, each as soon as its input is on
 * disk, so that the staging after the decode has only the last pieces left to put. Which chunks
 * come before the end is what the probes' estimate of the length says, as for the local encoders
 * that start early ({@link ChunkedMp3Join}); a piece is named by its chunk and its input, so one
 * staged for a chunk the whole decode then places elsewhere is merely not used.
 */
public final class EarlyPieces {
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

  /**
   * Puts into {@code store} the pieces of {@code source} that {@code expectedSamples} places before
   * its end, as their input arrives, through {@code scratch}.
   */
  public Staged stage(GrowingWav source, long expectedSamples, PieceStore store, Path scratch)
      throws IOException, InterruptedException {
    List<PcmPieces.Piece> staged = new ArrayList<>();
    int put = 0;
    if (expectedSamples <= 0) {
      return new Staged(staged, put);
    }
    WavFile.Format head = source.awaitHeader();
    var pieces = PcmPieces.growing(source.file(), head, bitRateKbps, reservoir);
    var expected = new ChunkGrid(expectedSamples, head.sampleRate(), bitRateKbps);
    try {
      for (Mp3Chunk chunk : expected.chunks(chunkLength)) {
        long needed = (chunk.endFrame() + ChunkGrid.POST_ROLL) * ChunkGrid.FRAME_SAMPLES;
        if (chunk.last()
            || chunk.inputEnd() != needed
            || source.await(needed).sampleFrames() < needed) {
          break;
        }
        PcmPieces.Piece piece = pieces.piece(chunk);
        if (!store.holds(piece.inputName(), pieces.bytes(piece))) {
          pieces.write(piece, scratch);
          store.put(chunk.index(), piece.inputName(), scratch);
          put++;
        }
        staged.add(piece);
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
    return new Staged(staged, put);
  }
}
