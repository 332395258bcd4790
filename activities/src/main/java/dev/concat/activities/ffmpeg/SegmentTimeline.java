package dev.concat.activities.ffmpeg;

import java.util.Arrays;
import java.util.List;

/** Maps FFmpeg's output time onto the segments: how many are fully written at a given time. */
final class SegmentTimeline {
  /** Probed durations carry up to a frame of padding; this keeps a finished segment from looking unfinished. */
  private static final long TOLERANCE_MICROS = 30_000;

  private final long[] endsMicros;

  SegmentTimeline(List<AudioProbe> segments) {
    endsMicros = new long[segments.size()];
    long end = 0;
    for (int i = 0; i < endsMicros.length; i++) {
      end += Math.round(segments.get(i).durationSeconds() * 1e6);
      endsMicros[i] = end;
    }
  }

  int segmentsDone(long outTimeMicros) {
    int position = Arrays.binarySearch(endsMicros, outTimeMicros + TOLERANCE_MICROS);
    return position >= 0 ? position + 1 : -position - 1;
  }

  double totalSeconds() {
    return endsMicros.length == 0 ? 0 : endsMicros[endsMicros.length - 1] / 1e6;
  }
}
