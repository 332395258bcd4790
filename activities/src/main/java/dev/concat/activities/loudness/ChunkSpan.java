package dev.concat.activities.loudness;

/**
 * Where a chunk's audio lies on the programme's timeline, in sample frames from the programme's
 * start. The chunk owns [ownedStart, ownedEnd); its file starts at {@code decodedStart}, earlier by
 * the pre-roll: at least 400 ms (less one sample) for the gating blocks that end in the chunk, 3 s
 * for the short-term windows of the loudness range. A little more (100 ms) lets the K-weighting
 * filter settle before the first block; the first chunk needs none.
 *
 * @param decodedStart the programme sample the chunk's file starts with
 * @param ownedStart the first sample the chunk owns
 * @param ownedEnd the sample after the last the chunk owns; its file must reach it
 */
public record ChunkSpan(long decodedStart, long ownedStart, long ownedEnd) {
  public ChunkSpan {
    if (decodedStart < 0 || ownedStart < decodedStart || ownedEnd < ownedStart) {
      throw new IllegalArgumentException(
          "a chunk decoded from "
              + decodedStart
              + " cannot own ["
              + ownedStart
              + ", "
              + ownedEnd
              + ")");
    }
  }

  /** A span owning all its file holds from the programme's start, however long that is. */
  public static ChunkSpan wholeProgramme() {
    return new ChunkSpan(0, 0, Long.MAX_VALUE);
  }

  /** Whether the span ends where its file does rather than at a known sample. */
  boolean openEnded() {
    return ownedEnd == Long.MAX_VALUE;
  }

  boolean owns(long sample) {
    return sample >= ownedStart && sample < ownedEnd;
  }
}
