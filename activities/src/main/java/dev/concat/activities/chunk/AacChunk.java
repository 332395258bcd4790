package dev.concat.activities.chunk;

import dev.concat.activities.loudness.ChunkSpan;
import java.util.Optional;

/**
 * One chunk of an AAC encode cut on the one-pass frame grid ({@link AacChunkGrid}).
 *
 * @param index position in the output, from 0
 * @param firstFrame the first global frame this chunk owns
 * @param endFrame one past the last global frame it owns
 * @param inputStart the first source sample its encoder reads (pre-roll included)
 * @param inputEnd one past the last source sample its encoder reads (post-roll included)
 * @param framesToDrop leading encoder frames that only warm the encoder up (its pre-roll)
 * @param last whether this chunk ends the stream, and so keeps its encoder's last frames
 */
public record AacChunk(
    int index,
    long firstFrame,
    long endFrame,
    long inputStart,
    long inputEnd,
    int framesToDrop,
    boolean last)
    implements GridChunk {

  public long ownFrames() {
    return endFrame - firstFrame;
  }

  @Override
  public long fullInputEnd() {
    return (endFrame + AacChunkGrid.POST_ROLL) * AacChunkGrid.FRAME_SAMPLES;
  }

  /** Frame j of the whole decode carries samples [1024 (j - 1), 1024 j) ({@link AacChunkGrid}). */
  @Override
  public long ownedStart() {
    return Math.max(0, firstFrame * AacChunkGrid.FRAME_SAMPLES - AacChunkGrid.PRIMING);
  }

  /**
   * None: FFmpeg's AAC decoder fills the bands coded as noise (PNS) from a random generator that
   * runs on from the stream's first frame, so a chunk decoded on its own differs from the same
   * frames decoded in the whole stream wherever a frame holds such bands (measured: 0.54 dB of true
   * peak on a chord with noise bursts). The joined stream is measured whole instead.
   */
  @Override
  public Optional<ChunkSpan> meteredSpan(long programmeStart, int sampleRate) {
    return Optional.empty();
  }
}
