package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the output's encoder (and the limiter, where the gain needs one) lowers this programme's
 * loudness, measured on its excerpts ({@link ProgrammeExcerpts}): each is encoded as the join will
 * be, with the first encode's gain filter, decoded and metered beside its source. The fixed table
 * ({@link LinearGain#predictedEncoderDropDb}) knows LAME on tones; AAC's low-pass takes 0.1-0.5 LU
 * from speech and noise that it puts at nothing (LoudnessTargetTest's 20 s jobs: pink noise to M4A
 * missed -16 LUFS by 0.46 LU and was encoded again). Measured, the first encode lands on the target
 * and the correcting encode is not needed. Costs 80 s of audio encoded and decoded once.
 */
final class EncoderDropProbe {
  private static final Logger log = LoggerFactory.getLogger(EncoderDropProbe.class);

  /** A measured drop outside this is no encoder's: the table's guess is used instead. */
  private static final double LOWEST_DROP_DB = -0.5;

  private static final double HIGHEST_DROP_DB = 2.0;

  private final Path ffmpeg;
  private final FfmpegSupervisor supervisor;
  private final ChunkLoudnessMeter meter;

  EncoderDropProbe(Path ffmpeg, FfmpegSupervisor supervisor, ChunkLoudnessMeter meter) {
    this.ffmpeg = ffmpeg;
    this.supervisor = supervisor;
    this.meter = meter;
  }

  /**
   * The drop in dB (positive: the encoded audio is quieter than the gain alone would make it),
   * weighted by each excerpt's energy as integrated loudness weighs the programme; empty when no
   * excerpt is loud enough to tell, or an encode fails (the table's guess and the check after the
   * encode still hold).
   */
  OptionalDouble dropDb(
      String jobId,
      ProgrammeExcerpts excerpts,
      OutputFormat format,
      Encoding encoding,
      LinearGain gain,
      Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    List<Path> files = excerpts.complete();
    if (files.isEmpty()) {
      return OptionalDouble.empty();
    }
    double weights = 0;
    double weighted = 0;
    List<String> drops = new ArrayList<>();
    for (Path excerpt : files) {
      Path encoded = excerpt.resolveSibling(excerpt.getFileName() + "." + format.extension());
      FfmpegExit exit =
          supervisor.run(
              jobId,
              encode(excerpt, format, encoding, gain, encoded),
              encoded,
              stallLimit,
              p -> {});
      if (!exit.succeeded()) {
        log.warn(
            "job {}: encoding an excerpt to learn the encoder's drop failed ({}); the table's"
                + " guess stands",
            jobId,
            FfmpegExit.oneLine(exit.stderr()));
        return OptionalDouble.empty();
      }
      var span = new ChunkSpan(0, excerpts.settled(), excerpts.length());
      double source;
      double output;
      try {
        source = meter.measure(excerpt, span).integratedLufs();
        output = meter.measure(encoded, span).integratedLufs();
      } catch (UnusableAudioException e) {
        log.warn("job {}: an encoded excerpt does not measure ({})", jobId, e.getMessage());
        return OptionalDouble.empty();
      } finally {
        Files.deleteIfExists(encoded);
      }
      progress.heartbeat(new ConcatHeartbeat("probe", 0, 0));
      if (source <= LinearGain.SILENCE_LUFS || output <= LinearGain.SILENCE_LUFS) {
        continue;
      }
      double drop = source + gain.gainDb() - output;
      double weight = Math.pow(10, source / 10);
      weights += weight;
      weighted += weight * drop;
      drops.add(String.format(Locale.ROOT, "%.3f", drop));
    }
    if (weights == 0) {
      return OptionalDouble.empty();
    }
    double drop = weighted / weights;
    log.info(
        "job {}: the {} encoder lowers this programme by {} dB (excerpts: {})",
        jobId,
        format.encoder(),
        String.format(Locale.ROOT, "%.3f", drop),
        String.join(", ", drops));
    if (drop < LOWEST_DROP_DB || drop > HIGHEST_DROP_DB) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(drop);
  }

  /**
   * The join's channels, encoder, settings and gain filter (volume, and the limiter where there is
   * one).
   */
  private List<String> encode(
      Path excerpt, OutputFormat format, Encoding encoding, LinearGain gain, Path encoded) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(InputOptions.workFile(excerpt));
    // A mono excerpt of a stereo output is mixed up as the join is, before its gain and limiter.
    args.addAll(List.of("-af", JoinCommand.channelsFilter(encoding) + "," + gain.filter()));
    args.addAll(JoinCommand.encoderArgs(format, encoding));
    if (format == OutputFormat.MP3) {
      // The Info frame tells the decoder to drop the encoder's delay: the samples line up.
      args.addAll(List.of("-write_xing", "1"));
    }
    args.addAll(List.of("-f", format.muxer(), encoded.toString()));
    return args;
  }
}
