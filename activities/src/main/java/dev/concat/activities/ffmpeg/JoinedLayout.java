package dev.concat.activities.ffmpeg;

import dev.concat.contract.audio.Chapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each segment sits in the joined output, in samples at the output's rate: its length, plus
 * the gaps before it, minus the crossfades. Gives chapter times and the progress timeline.
 */
final class JoinedLayout {
  private final long[] starts;
  private final long total;
  private final int sampleRate;
  private final boolean exact;

  private JoinedLayout(long[] starts, long total, int sampleRate, boolean exact) {
    this.starts = starts;
    this.total = total;
    this.sampleRate = sampleRate;
    this.exact = exact;
  }

  /**
   * @param frames each segment's exact length in samples
   * @param gapFrames silence between consecutive segments
   * @param overlapFrames overlap of consecutive segments (a crossfade)
   */
  static JoinedLayout exact(List<Long> frames, long gapFrames, long overlapFrames, int sampleRate) {
    long[] starts = new long[frames.size()];
    long position = 0;
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        position += gapFrames - overlapFrames;
      }
      starts[i] = position;
      position += frames.get(i);
    }
    return new JoinedLayout(starts, position, sampleRate, true);
  }

  /**
   * From the probes' durations, which carry up to a frame of padding each: good for progress only.
   */
  static JoinedLayout approximate(List<AudioProbe> probes) {
    int rate = 1_000_000;
    List<Long> micros = probes.stream().map(p -> Math.round(p.durationSeconds() * rate)).toList();
    JoinedLayout layout = exact(micros, 0, 0, rate);
    return new JoinedLayout(layout.starts, layout.total, rate, false);
  }

  private double totalSeconds() {
    return (double) total / sampleRate;
  }

  /**
   * The total for the log, saying whether it is exact or the probe's estimate (which counts encoder
   * padding).
   */
  String describeTotal() {
    return String.format(
        Locale.ROOT,
        exact ? "the segments measure %.3f s" : "the probe estimated %.3f s",
        totalSeconds());
  }

  /** Each segment's end in the output, in microseconds. */
  long[] endsMicros() {
    long[] ends = new long[starts.length];
    for (int i = 0; i < starts.length; i++) {
      ends[i] = micros(i + 1 < starts.length ? starts[i + 1] : total);
    }
    return ends;
  }

  /**
   * The chapters' spans: each from its first segment's start to the next chapter's start, the last
   * to the end.
   */
  List<ChapterSpan> spans(List<Chapter> chapters) {
    List<ChapterSpan> spans = new ArrayList<>(chapters.size());
    for (int i = 0; i < chapters.size(); i++) {
      long start = starts[chapters.get(i).firstSegment()];
      long end = i + 1 < chapters.size() ? starts[chapters.get(i + 1).firstSegment()] : total;
      spans.add(new ChapterSpan(chapters.get(i).title(), millis(start), millis(end)));
    }
    return spans;
  }

  private long micros(long frames) {
    return Math.round(frames * 1e6 / sampleRate);
  }

  private long millis(long frames) {
    return Math.round(frames * 1e3 / sampleRate);
  }
}
