package dev.concat.activities.ffmpeg;

import dev.concat.activities.FailureSubject;
import dev.concat.activities.FailureType;
import dev.concat.activities.audio.MeasuredAudio;
import dev.concat.activities.execution.PhaseProgress;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the finished file as a listener and a podcast host's checks would: ffprobe for the
 * stream, then a full decode through the EBU R128 meter for loudness, true peak and the decoded
 * length. The decode is also the final proof that the file plays to its end.
 */
final class OutputMeasurer {
  /**
   * What a silent output's true peak (minus infinity) is reported as: the floor of 24-bit audio,
   * because JSON has no infinity and clients would choke on the result.
   */
  private static final double SILENT_PEAK_DB = -144;

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final FfmpegSupervisor supervisor;

  OutputMeasurer(Path ffmpeg, Ffprobe ffprobe, FfmpegSupervisor supervisor) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.supervisor = supervisor;
  }

  /**
   * @param exactSamples the samples a gapless player plays, where the container says so (an M4A's
   *     edit list: FFmpeg 5.1 decodes the AAC encoder's end padding too); null to count what FFmpeg decodes
   * @param gainDb the loudness gain that was applied, or null
   */
  MeasuredAudio measure(String jobId, Path output, Long exactSamples, Double gainDb, Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    Ffprobe.OutputStream stream;
    try {
      stream = ffprobe.describeOutput(output);
    } catch (UnusableAudioException e) {
      throw unreadable(jobId, e.getMessage());
    }
    var decodedMicros = new AtomicLong();
    FfmpegExit exit = supervisor.run(jobId, FfmpegCommand.meter(ffmpeg, output), output, stallLimit, p -> {
      decodedMicros.set(p.outTimeMicros());
      progress.heartbeat(new ConcatHeartbeat("measure", 0, p.outTimeMicros()));
    });
    if (!exit.succeeded()) {
      throw unreadable(jobId, FfmpegExit.oneLine(exit.stderr()));
    }
    LoudnessSummary loudness = exit.loudness(jobId);
    double seconds = exactSamples == null ? decodedMicros.get() / 1e6 : (double) exactSamples / stream.sampleRate();
    return new MeasuredAudio(stream.codec(), stream.sampleRate(), stream.channels(), stream.bitRate(), seconds, loudness.integratedLufs(), Math.max(SILENT_PEAK_DB, loudness.truePeakDb()),
        loudness.loudnessRangeLu(),
        stream.chapters(), gainDb);
  }

  private static ApplicationFailure unreadable(String jobId, String why) {
    return FailureType.FFMPEG_FAILED.failure(
        FailureSubject.job(jobId).describe("FFmpeg exited 0 but its output does not decode: " + why));
  }
}
