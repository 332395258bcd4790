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
  private long samples;
  private List<? extends GridChunk> chunks;

  /**
   * @param listener called, on the thread that finished a chunk or set the plan, with the samples
   *     encoded from the start without a gap
   */
  EncodedPrefix(LongConsumer listener) {
    this.listener = listener;
  }

  /** The whole source's chunks, which encode its {@code samples}. */
  void plan(long samples, List<? extends GridChunk> chunks) {
    synchronized (this) {
      this.samples = samples;
      this.chunks = chunks;
    }
    report();
  }

  void done(GridChunk chunk) {
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
      through = firstMissing >= chunks.size() ? samples : chunks.get(firstMissing).ownedStart();
    }
    listener.accept(through);
  }
}
