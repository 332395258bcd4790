package dev.concat.activities.chunk;

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
    boolean last) {

  public long ownFrames() {
    return endFrame - firstFrame;
  }
}
