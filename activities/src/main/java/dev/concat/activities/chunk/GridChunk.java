package dev.concat.activities.chunk;

import dev.concat.activities.loudness.ChunkSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One chunk of an encode cut on the one-pass frame grid of its codec: the range of source samples
 * its encoder reads and the frames of the whole stream it owns.
 */
sealed interface GridChunk permits Mp3Chunk, AacChunk {
  /** Position in the output, from 0. */
  int index();

  /** The first source sample its encoder reads, pre-roll included. */
  long inputStart();

  /** One past the last source sample its encoder reads, post-roll included. */
  long inputEnd();

  /**
   * Where its input ends when the source does not cut its post-roll short: a chunk whose input ends
   * there depends only on where it lies, not on how long the source is.
   */
  long fullInputEnd();

  /** Whether it ends the stream. */
  boolean last();

  /** Leading encoder frames that only warm the encoder up (its pre-roll). */
  int framesToDrop();

  /** Frames of the whole stream it owns. */
  long ownFrames();

  /**
   * One past the last of its encoder's frames that the join keeps, once {@code encoded} frames
   * (read from {@code file}) are checked: the last chunk's encoder must have written exactly that
   * many (its end is the stream's), another's at least that many (its post-roll follows).
   */
  default int keptEnd(int encoded, Path file) throws IOException {
    int to = (int) (framesToDrop() + ownFrames());
    if (last() ? encoded != to : encoded < to) {
      throw new IOException(
          "chunk "
              + index()
              + " ("
              + file
              + ") has "
              + encoded
              + " frames; its place in the stream needs "
              + (last() ? "exactly " : "at least ")
              + to);
    }
    return to;
  }

  /**
   * The first programme sample its frames carry in the whole decode: up to there, the programme is
   * encoded once every chunk before this one is.
   */
  long ownedStart();

  /**
   * The chunk's own encode on the programme's timeline, for its loudness meter; empty when its
   * pre-roll is too short to meter it.
   *
   * @param programmeStart the programme sample its encoder's input starts with
   */
  Optional<ChunkSpan> meteredSpan(long programmeStart, int sampleRate);
}
