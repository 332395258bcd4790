package dev.concat.activities.ffmpeg;

import java.util.Arrays;

/** Maps FFmpeg's output time onto the segments: how many are fully written at a given time. */
final class SegmentTimeline {
  /**
   * Probed durations carry up to a frame of padding; this keeps a finished segment from looking
   * unfinished.
   */
  private static final long TOLERANCE_MICROS = 30_000;

  private final long[] endsMicros;

  SegmentTimeline(JoinedLayout layout) {
    endsMicros = layout.endsMicros();
  }

  /** The join's length: exact where the layout is, else the probes' estimate. */
  long totalMicros() {
    return endsMicros.length == 0 ? 0 : endsMicros[endsMicros.length - 1];
  }

  int segmentsDone(long outTimeMicros) {
    int position = Arrays.binarySearch(endsMicros, outTimeMicros + TOLERANCE_MICROS);
    return position >= 0 ? position + 1 : -position - 1;
  }
}
