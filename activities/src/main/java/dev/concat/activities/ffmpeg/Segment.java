package dev.concat.activities.ffmpeg;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.rules.S3Uri;
import java.nio.file.Path;

/**
 * One of a job's segments on this host: its place in the request, the object it was downloaded
 * from, and the downloaded file.
 */
record Segment(int index, S3Uri uri, Path file) {

  /** What a failure about this segment names: {@code job ep-1: segment 2 (s3://...)}. */
  FailureSubject subject(String jobId) {
    return FailureSubject.segment(jobId, index, uri);
  }

  ProbedSegment probed(AudioProbe probe) {
    return new ProbedSegment(this, probe);
  }
}
