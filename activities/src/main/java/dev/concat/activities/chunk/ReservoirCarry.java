package dev.concat.activities.chunk;

/**
 * Makes a seam safe for the bit reservoir. A chunk's first kept frame may start its main data some
 * bytes back, in the main data area of the pre-roll frames the join drops; after the join the
 * decoder would read the previous chunk's bytes there instead (silently: FFmpeg reports no error,
 * the frame measured 2-8 dB SNR). This copies those bytes into the same place at the end of the
 * previous chunk's kept frames, whose main data area ends in bytes none of its kept frames use
 * (there its encoder saved room for the post-roll frames the join drops).
 */
final class ReservoirCarry {

  /**
   * @param previous the previous chunk's frames, changed in place
   * @param previousEnd one past its last kept frame
   * @param next the next chunk's frames
   * @param nextFirst its first kept frame
   * @return false, changing nothing, when the previous chunk's unused tail is shorter than the
   *     bytes to carry
   */
  static boolean carry(Mp3Frames previous, int previousEnd, Mp3Frames next, int nextFirst) {
    int borrowed = next.mainData(nextFirst).begin();
    if (borrowed == 0) {
      return true;
    }
    if (borrowed > unusedTail(previous, previousEnd - 1)) {
      return false;
    }
    var source = new MainDataAreaCursor(next, nextFirst);
    var target = new MainDataAreaCursor(previous, previousEnd);
    for (int i = 0; i < borrowed; i++) {
      previous.set(target.previousByte(), next.get(source.previousByte()));
    }
    return true;
  }

  /** Bytes at the end of the main data areas up to {@code last}'s that no frame up to it uses. */
  private static int unusedTail(Mp3Frames frames, int last) {
    MainData data = frames.mainData(last);
    int ownArea = frames.start(last + 1) - frames.mainDataAreaStart(last);
    return ownArea + data.begin() - data.length();
  }

  /**
   * Walks main data area bytes backwards from a frame's start, skipping headers and side
   * information.
   */
  private static final class MainDataAreaCursor {
    private final Mp3Frames frames;

    /** The frame whose area the cursor is in; {@code offset} is one past the byte returned next. */
    private int frame;

    private int offset;

    MainDataAreaCursor(Mp3Frames frames, int before) {
      this.frames = frames;
      this.frame = before - 1;
      this.offset = frames.start(before);
    }

    int previousByte() {
      while (frame >= 0 && offset == frames.mainDataAreaStart(frame)) {
        frame--;
        if (frame >= 0) {
          offset = frames.start(frame + 1);
        }
      }
      if (frame < 0) {
        throw new IllegalStateException("a main_data_begin points before the first frame");
      }
      return --offset;
    }
  }
}
