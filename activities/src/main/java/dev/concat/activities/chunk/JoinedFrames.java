package dev.concat.activities.chunk;

import java.io.IOException;

/**
 * Told, on the writer's thread, each time a chunk's frames are in the joined file, so that what is
 * written can be read (measured, say) while the later chunks are still being encoded.
 */
@FunctionalInterface
public interface JoinedFrames {
  /**
   * Frames [0, {@code frames}) of the joined stream are in the file, frame v at {@code
   * frameOffsets[v]}, the last ending at byte {@code end}. The Info frame in front of them is not
   * written yet. The array is the writer's own, filled further as it goes: read only its first
   * {@code frames} entries, on this thread.
   */
  void appended(long[] frameOffsets, int frames, long end) throws IOException;

  JoinedFrames IGNORED = (offsets, frames, end) -> {};
}
