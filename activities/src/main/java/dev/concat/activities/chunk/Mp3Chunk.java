package dev.concat.activities.chunk;

import dev.concat.activities.loudness.ChunkSpan;
import java.util.Optional;

/**
 * One chunk of an MP3 encode cut on the one-pass frame grid.
 *
 * @param index position in the output, from 0
 * @param firstFrame the first global frame this chunk owns
 * @param endFrame one past the last global frame it owns
 * @param inputStart the first source sample its encoder reads (pre-roll included)
 * @param inputEnd one past the last source sample its encoder reads (post-roll included)
 * @param framesToDrop leading encoder frames that only warm the encoder up (its pre-roll)
 * @param last whether this chunk ends the stream, and so keeps its encoder's flush frames
 */
public record Mp3Chunk(
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

  /**
   * The chunk's own encode on the programme's timeline, for its loudness meter: decoded with the
   * delay ({@link ChunkGrid#TOTAL_DELAY}) dropped, it starts with its encoder's first input sample;
   * it owns the samples its frames carry in the whole decode, frame j's ending at 1152 j + 47
   * ({@link ChunkGrid}), so that the chunks' spans tile the programme.
   *
   * @param programmeStart the programme sample its encoder's input starts with ({@link
   *     #inputStart()} when that counts from the programme's start)
   * @return empty when its pre-roll is shorter than the meter needs ({@link ChunkGrid#preRoll()})
   */
  @Override
  public Optional<ChunkSpan> meteredSpan(long programmeStart, int sampleRate) {
    // A chunk a host of an earlier version staged, with 2 frames of pre-roll, cannot be metered.
    if (firstFrame > 0 && framesToDrop < ChunkGrid.preRoll(sampleRate)) {
      return Optional.empty();
    }
    long ownedEnd =
        last
            ? programmeStart + inputEnd - inputStart
            : endFrame * ChunkGrid.FRAME_SAMPLES - ChunkGrid.TOTAL_DELAY;
    return Optional.of(new ChunkSpan(programmeStart, ownedStart(), ownedEnd));
  }

  @Override
  public long fullInputEnd() {
    return (endFrame + ChunkGrid.POST_ROLL) * ChunkGrid.FRAME_SAMPLES;
  }

  /** Frame j of the whole decode ends at sample 1152 (j + 1) - 1105 ({@link ChunkGrid}). */
  @Override
  public long ownedStart() {
    return Math.max(0, firstFrame * ChunkGrid.FRAME_SAMPLES - ChunkGrid.TOTAL_DELAY);
  }
}
