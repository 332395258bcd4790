package dev.concat.activities.ffmpeg;

import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import java.nio.file.Files;
import java.util.List;

/**
 * What a join writes on the host's disk before it starts, now that the probes say how long the
 * audio is: every segment decoded to 16-bit PCM when the plan decodes first, and the output (twice
 * when loudness is normalised: the second encode is written beside the first), and the loudness
 * meter's frame log ({@link R128FrameLog}) while it is read. Checked before FFmpeg runs, so a disk
 * too small fails the job here at once as {@code InsufficientDisk} instead of as an FFmpeg error
 * after minutes of work.
 */
final class JoinDiskNeed {
  private static final int PCM_BYTES_PER_SAMPLE = 2;

  /** Containers, tags and a cover image on top of the audio's bit rate. */
  private static final double OUTPUT_OVERHEAD = 1.1;

  /** Ten frames a second of about ten lines each (measured: 2.6 KB a second for stereo). */
  private static final int FRAME_LOG_BYTES_PER_SECOND = 4_000;

  /**
   * @param joinedPcm bytes of the whole join decoded to PCM for a chunked encode, or 0
   */
  static void require(
      JobWorkDir dir,
      JoinPlan plan,
      List<ProbedSegment> segments,
      AudioSpec audio,
      long joinedPcm) {
    Need need = need(dir, plan, segments, audio, joinedPcm);
    DiskSpace.require(dir, need.bytes(), need.what());
  }

  /** Whether the disk holds what {@link #require} asks for. */
  static boolean fits(
      JobWorkDir dir,
      JoinPlan plan,
      List<ProbedSegment> segments,
      AudioSpec audio,
      long joinedPcm) {
    long need = need(dir, plan, segments, audio, joinedPcm).bytes();
    return DiskSpace.usableFor(dir, need) >= need;
  }

  private record Need(long bytes, String what) {}

  private static Need need(
      JobWorkDir dir,
      JoinPlan plan,
      List<ProbedSegment> segments,
      AudioSpec audio,
      long joinedPcm) {
    Encoding encoding = audio.encoding();
    long pcm = 0;
    double seconds = 0;
    for (ProbedSegment segment : segments) {
      double duration = segment.probe().durationSeconds();
      seconds += duration;
      if (plan.decodeFirst() && !Files.isRegularFile(dir.normalized(segment.segment().index()))) {
        pcm +=
            (long) Math.ceil(duration * encoding.sampleRate())
                * encoding.channels()
                * PCM_BYTES_PER_SAMPLE;
      }
    }
    long output =
        plan.mode() == ConcatMode.COPY
            ? segments.stream().mapToLong(s -> s.segment().file().toFile().length()).sum()
            : (long) (seconds * encoding.bitrateKbps() * 1000 / 8 * OUTPUT_OVERHEAD);
    int outputs = audio.loudness() == null ? 1 : 2;
    long frameLog = (long) (seconds * FRAME_LOG_BYTES_PER_SECOND);
    pcm += joinedPcm;
    String need =
        (pcm > 0
                ? DiskSpace.mib(pcm)
                    + " of decoded PCM for "
                    + String.format("%.0f", seconds)
                    + " s of audio, "
                : "")
            + "about "
            + DiskSpace.mib(output)
            + " for the output"
            + (outputs > 1 ? " twice" : "");
    return new Need(
        pcm + output * outputs + frameLog,
        need + " and " + DiskSpace.mib(frameLog) + " for the loudness meter's frame log");
  }

  private JoinDiskNeed() {}
}
