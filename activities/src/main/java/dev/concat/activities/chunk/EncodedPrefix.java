package dev.concat.activities.chunk;

import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Which chunks are done, reported as the source samples from the start that no missing chunk holds
 * up. Chunks can finish before the plan is final (encoded while the source is still being written);
 * they are reported once it is.
 */
final class EncodedPrefix {
  private final LongConsumer listener;
  private final BitSet done = new BitSet();
  private ChunkGrid grid;
  private List<Mp3Chunk> chunks;

  /**
   * @param listener called, on the thread that finished a chunk or set the plan, with the samples
   *     encoded from the start without a gap
   */
  EncodedPrefix(LongConsumer listener) {
    this.listener = listener;
  }

  /** The whole source's chunks. */
  void plan(ChunkGrid grid, List<Mp3Chunk> chunks) {
    synchronized (this) {
      this.grid = grid;
      this.chunks = chunks;
    }
    report();
  }

  void done(Mp3Chunk chunk) {
    synchronized (this) {
      done.set(chunk.index());
    }
    report();
  }

  private void report() {
    long through;
    synchronized (this) {
      if (chunks == null) {
        return;
      }
      int firstMissing = done.nextClearBit(0);
      // Frame j ends at source sample 1152 (j + 1) - 1105; the missing chunk's first frame is the
      // first not done.
      through =
          firstMissing >= chunks.size()
              ? grid.samples()
              : Math.max(
                  0,
                  chunks.get(firstMissing).firstFrame() * ChunkGrid.FRAME_SAMPLES
                      - ChunkGrid.TOTAL_DELAY);
    }
    listener.accept(through);
  }
}
