package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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

  /** FFmpeg's last progress report may trail the true end by a frame or two. */
  private static final double METER_COVERAGE_SLACK_SECONDS = 0.1;

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final FfmpegSupervisor supervisor;
  private final RangedOutputMeter rangedMeter;

  OutputMeasurer(
      Path ffmpeg, Ffprobe ffprobe, FfmpegSupervisor supervisor, RangedOutputMeter rangedMeter) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.supervisor = supervisor;
    this.rangedMeter = rangedMeter;
  }

  /**
   * @param exactSamples the samples a gapless player plays, where the container says so (an M4A's
   *     edit list: FFmpeg 5.1 decodes the AAC encoder's end padding too); null to count what FFmpeg
   *     decodes
   * @param gainDb the loudness gain that was applied, or null
   */
  MeasuredAudio measure(
      String jobId,
      Path output,
      Long exactSamples,
      Double gainDb,
      Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    Ffprobe.OutputStream stream;
    try {
      stream = ffprobe.describeOutput(output);
    } catch (UnusableAudioException e) {
      throw unreadable(jobId, e.getMessage());
    }
    if (output.getFileName().toString().endsWith(".mp3")) {
      Optional<MeasuredAudio> ranged =
          measureInRanges(jobId, output, stream, gainDb, stallLimit, progress);
      if (ranged.isPresent()) {
        return ranged.get();
      }
    }
    var decodedMicros = new AtomicLong();
    Path frameLog = output.resolveSibling(output.getFileName() + ".r128.txt");
    FfmpegExit exit =
        supervisor.run(
            jobId,
            FfmpegCommand.meter(ffmpeg, output, frameLog),
            output,
            stallLimit,
            p -> {
              decodedMicros.set(p.outTimeMicros());
              progress.heartbeat(new ConcatHeartbeat("measure", 0, p.outTimeMicros()));
            });
    if (!exit.succeeded()) {
      throw unreadable(jobId, FfmpegExit.oneLine(exit.stderr()));
    }
    LoudnessSummary loudness = exit.loudness(jobId, frameLog);
    double seconds =
        exactSamples == null
            ? decodedMicros.get() / 1e6
            : (double) exactSamples / stream.sampleRate();
    return audio(stream, seconds, loudness, gainDb);
  }

  /**
   * An MP3 whose frames its Info frame counts, measured in ranges on the host's cores ({@link
   * RangedOutputMeter}) with the length its Info frame gives; empty for any other.
   */
  private Optional<MeasuredAudio> measureInRanges(
      String jobId,
      Path output,
      Ffprobe.OutputStream stream,
      Double gainDb,
      Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    Optional<RangedOutputMeter.Reading> reading;
    try {
      reading = rangedMeter.measure(jobId, output, stream.sampleRate(), stallLimit, progress);
    } catch (UnusableAudioException e) {
      throw unreadable(jobId, e.getMessage());
    }
    if (reading.isEmpty()) {
      return Optional.empty();
    }
    ChunkLoudness loudness = reading.get().loudness();
    return Optional.of(
        audio(
            stream,
            (double) reading.get().samples() / stream.sampleRate(),
            new LoudnessSummary(
                Math.max(LinearGain.SILENCE_LUFS, loudness.integratedLufs()),
                loudness.truePeakDb(),
                loudness.loudnessRangeLu()),
            gainDb));
  }

  /**
   * The finished MP3 described by ffprobe and its Info frame, with the loudness a meter read while
   * it was written ({@link ConcurrentOutputMeter}); empty when the file has no Info frame to give
   * its exact length, or the meter decoded less audio than the file holds.
   *
   * @param meterDecodedMicros how much audio the meter decoded
   */
  Optional<MeasuredAudio> withReading(
      String jobId, Path output, LoudnessSummary loudness, long meterDecodedMicros, Double gainDb)
      throws IOException {
    Optional<Mp3InfoTag> tag = Mp3InfoTag.read(output);
    if (tag.isEmpty()) {
      return Optional.empty();
    }
    Ffprobe.OutputStream stream;
    try {
      stream = ffprobe.describeOutput(output);
    } catch (UnusableAudioException e) {
      throw unreadable(jobId, e.getMessage());
    }
    double seconds = (double) tag.get().decodedSamples() / stream.sampleRate();
    if (meterDecodedMicros < (seconds - METER_COVERAGE_SLACK_SECONDS) * 1e6) {
      return Optional.empty();
    }
    return Optional.of(audio(stream, seconds, loudness, gainDb));
  }

  /**
   * A finished file whose exact length its container says (an M4A's edit list, {@link
   * Mp4GaplessTag}), described by ffprobe, with the loudness measured from its audio.
   */
  MeasuredAudio withExactLength(
      String jobId, Path output, LoudnessSummary loudness, long samples, Double gainDb)
      throws IOException {
    Ffprobe.OutputStream stream;
    try {
      stream = ffprobe.describeOutput(output);
    } catch (UnusableAudioException e) {
      throw unreadable(jobId, e.getMessage());
    }
    return audio(stream, (double) samples / stream.sampleRate(), loudness, gainDb);
  }

  private static MeasuredAudio audio(
      Ffprobe.OutputStream stream, double seconds, LoudnessSummary loudness, Double gainDb) {
    return new MeasuredAudio(
        stream.codec(),
        stream.sampleRate(),
        stream.channels(),
        stream.bitRate(),
        seconds,
        loudness.integratedLufs(),
        Math.max(SILENT_PEAK_DB, loudness.truePeakDb()),
        loudness.loudnessRangeLu(),
        stream.chapters(),
        gainDb);
  }

  private static ApplicationFailure unreadable(String jobId, String why) {
    return FailureType.FFMPEG_FAILED.failure(
        FailureSubject.job(jobId)
            .describe("FFmpeg exited 0 but its output does not decode: " + why));
  }
}
