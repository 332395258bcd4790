package dev.concat.activities.loudness;

import java.util.Arrays;

/**
 * The last frames of a stream, held back from its measurement until the stream has ended and the
 * programme's true end is known: a stream decoded without its MP3 Info frame runs on through the
 * encoder's end padding, up to a frame past the programme, and a tone cut there rings into it.
 * Released up to the true end, the measurement is the finished file's to the bit.
 */
final class HeldTail {
  private final int channels;
  private final int capacity;
  private float[] held;
  private int size;

  /** The index in the stream of the first held frame. */
  private long heldFrom;

  HeldTail(int channels, int capacityFrames) {
    this.channels = channels;
    this.capacity = capacityFrames;
    this.held = new float[2 * capacityFrames * channels];
  }

  /** Holds the next {@code frames}, passing those beyond the capacity on to {@code into}. */
  void add(float[] interleaved, int frames, ChunkLoudnessMeter.FrameSink into) {
    if ((size + frames) * channels > held.length) {
      held = Arrays.copyOf(held, (size + frames) * channels);
    }
    System.arraycopy(interleaved, 0, held, size * channels, frames * channels);
    size += frames;
    int over = size - capacity;
    if (over > 0) {
      into.add(held, over);
      System.arraycopy(held, over * channels, held, 0, capacity * channels);
      size = capacity;
      heldFrom += over;
    }
  }

  /**
   * Passes on the held frames before stream frame {@code end}; all of them when {@code end} is
   * negative (not known).
   */
  void release(long end, ChunkLoudnessMeter.FrameSink into) {
    long frames = end < 0 ? size : Math.max(0, Math.min(size, end - heldFrom));
    if (frames > 0) {
      into.add(held, (int) frames);
    }
    size = 0;
  }
}
