package dev.concat.activities.ffmpeg;

import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.FailureType;
import dev.concat.contract.audio.AudioSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the join reads its audio from, and where each segment lands in the output: the downloaded
 * files through the concat demuxer, or the decoded PCM files with the job's gaps (silence files in
 * the list) or crossfades (a filter graph).
 */
record JoinSource(JoinCommand command, JoinedLayout layout) {

  /** The downloaded segments as they are; their positions are the probe's estimate. */
  static JoinSource demuxed(Path ffmpeg, JobWorkDir dir, List<ProbedSegment> segments)
      throws IOException {
    List<Path> files = segments.stream().map(s -> s.segment().file()).toList();
    List<Integer> channels = segments.stream().map(s -> s.probe().channels()).distinct().toList();
    return new JoinSource(
        JoinCommand.concatList(
            ffmpeg, listed(dir, files), channels.size() == 1 ? channels.get(0) : 0),
        JoinedLayout.approximate(ProbedSegment.probes(segments)));
  }

  /** The segments decoded to {@code dir.normalized(i)}, {@code frames} long each. */
  static JoinSource decoded(
      Path ffmpeg, JobWorkDir dir, List<Segment> segments, List<Long> frames, AudioSpec audio)
      throws IOException {
    int rate = audio.encoding().sampleRate();
    // Decoded to the output's channels.
    int channels = audio.encoding().channels();
    long gap = Math.round(audio.gapMs() * rate / 1000.0);
    long overlap = Math.round(audio.crossfadeMs() * rate / 1000.0);
    List<Path> pcm = segments.stream().map(s -> dir.normalized(s.index())).toList();
    JoinedLayout layout = JoinedLayout.exact(frames, gap, overlap, rate);
    if (overlap > 0) {
      requireLongerThanCrossfades(dir.jobId(), segments, frames, overlap, audio.crossfadeMs());
      return new JoinSource(JoinCommand.crossfade(ffmpeg, pcm, channels, overlap), layout);
    }
    if (gap == 0) {
      return new JoinSource(JoinCommand.concatList(ffmpeg, listed(dir, pcm), channels), layout);
    }
    SilenceWav.write(dir.gap(), rate, channels, gap);
    List<Path> withGaps = new ArrayList<>();
    for (Path file : pcm) {
      if (!withGaps.isEmpty()) {
        withGaps.add(dir.gap());
      }
      withGaps.add(file);
    }
    return new JoinSource(JoinCommand.concatList(ffmpeg, listed(dir, withGaps), channels), layout);
  }

  /**
   * A crossfade shorter than its segments: each segment but the ends is overlapped on both sides.
   */
  private static void requireLongerThanCrossfades(
      String jobId, List<Segment> segments, List<Long> frames, long overlap, int crossfadeMs) {
    for (int i = 0; i < frames.size(); i++) {
      int sides = (i > 0 ? 1 : 0) + (i < frames.size() - 1 ? 1 : 0);
      if (frames.get(i) < sides * overlap) {
        throw FailureType.INVALID_SEGMENT.failure(
            segments
                .get(i)
                .subject(jobId)
                .describe(
                    "is shorter than its " + sides + " crossfade(s) of " + crossfadeMs + " ms"));
      }
    }
  }

  private static Path listed(JobWorkDir dir, List<Path> files) throws IOException {
    ConcatListFile.write(dir.concatList(), files);
    return dir.concatList();
  }
}
