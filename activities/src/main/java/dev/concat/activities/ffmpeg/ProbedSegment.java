package dev.concat.activities.ffmpeg;

import java.util.List;

/** A segment and what probing its file found. */
record ProbedSegment(Segment segment, AudioProbe probe) {

  static List<AudioProbe> probes(List<ProbedSegment> segments) {
    return segments.stream().map(ProbedSegment::probe).toList();
  }
}
