package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The frames a chunk keeps of its encoder's output: its pre-roll dropped, and its post-roll except
 * after the last chunk (where they are the encoder's flush, part of the one-pass stream).
 *
 * @param frames the encoder's whole output
 * @param from the first kept frame
 * @param to one past the last
 */
record KeptFrames(Mp3Chunk chunk, Mp3Frames frames, int from, int to) {

  /** The frames {@code chunk} keeps of {@code encoded}, read from {@code file}. */
  static KeptFrames of(Mp3Chunk chunk, Mp3Frames encoded, Path file) throws IOException {
    return new KeptFrames(
        chunk, encoded, chunk.framesToDrop(), chunk.keptEnd(encoded.count(), file));
  }

  static KeptFrames read(Mp3Chunk chunk, Path file) throws IOException {
    return of(chunk, Mp3Frames.read(file), file);
  }

  /**
   * Carries into these frames' tail what the first kept frame of {@code next} borrows from the bit
   * reservoir ({@link ReservoirCarry}); false, changing nothing, when there is no room.
   */
  boolean carryFrom(Mp3Frames next, int nextFirst) {
    return ReservoirCarry.carry(frames, to, next, nextFirst);
  }

  /** The kept frames' bytes. */
  ByteBuffer bytes() {
    return frames.frames(from, to);
  }
}
