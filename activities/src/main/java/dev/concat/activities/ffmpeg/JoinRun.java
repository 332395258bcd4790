package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.AudioSpec;
import java.time.Duration;

/**
 * What every encode of one job's join shares.
 *
 * @param stallLimit how long FFmpeg may go without writing before it is killed as stalled
 * @param segments the segments joined, for progress
 * @param inChunks whether the join is encoded in chunks ({@link ChunkedJoinEncode})
 */
record JoinRun(
    JobWorkDir dir,
    OutputFormat format,
    ConcatMode mode,
    AudioSpec audio,
    Duration stallLimit,
    PhaseProgress progress,
    SegmentTimeline timeline,
    int segments,
    boolean inChunks) {

  String jobId() {
    return dir.jobId();
  }
}
