package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a join to its loudness target: measures the joined audio before any gain (the first pass),
 * chooses the first encode's gain, and encodes again with the gain corrected by the miss until the
 * output is on target.
 */
final class LoudnessNormaliser {
  private static final Logger log = LoggerFactory.getLogger(LoudnessNormaliser.class);

  /**
   * Encodes one loudness-normalised job may take: the first, a correction (which nearly always
   * lands), and two more for a limiter that has to work harder than the gain alone predicts.
   */
  private static final int MAX_LOUDNESS_ENCODES = 4;

  private final FfmpegSupervisor supervisor;
  private final JoinLoudnessMeter joinMeter;
  private final EncoderDropProbe dropProbe;
  private final JoinEncoder encoder;

  LoudnessNormaliser(
      FfmpegSupervisor supervisor,
      JoinLoudnessMeter joinMeter,
      EncoderDropProbe dropProbe,
      JoinEncoder encoder) {
    this.supervisor = supervisor;
    this.joinMeter = joinMeter;
    this.dropProbe = dropProbe;
    this.encoder = encoder;
  }

  /**
   * The gain of the join's first encode, from its first pass; null when the audio is silent. It
   * makes up for what the encoder (and a limiter) takes off this programme's loudness, as its
   * excerpts measure it ({@link EncoderDropProbe}), or as the table guesses where there are none.
   */
  LinearGain firstGain(JoinRun run, JoinCommand command) throws IOException, InterruptedException {
    return firstGain(run, command, meter(run, command, null));
  }

  /**
   * Encodes with the gain that brings the join to the target, measures the result, and encodes
   * again with the gain corrected by the miss until it is on target, at most {@link
   * #MAX_LOUDNESS_ENCODES} times. What still misses says why in the result. Where the disk has
   * room, the encodes read the join as the first pass decoded it ({@link KeptJoinPcm}).
   */
  MeasuredAudio normalised(JoinRun run, JoinCommand command)
      throws IOException, InterruptedException {
    Optional<KeptJoinPcm> kept = KeptJoinPcm.placeFor(run, command);
    try {
      LinearGain gain = firstGain(run, command, meter(run, command, kept.orElse(null)));
      Optional<Path> pcm = kept.flatMap(KeptJoinPcm::whole);
      if (pcm.isPresent()) {
        log.info("job {}: the encodes read the join the first pass kept", run.jobId());
      }
      return normalised(run, pcm.map(command::fromPcm).orElse(command), gain);
    } finally {
      kept.ifPresent(KeptJoinPcm::delete);
    }
  }

  private MeasuredAudio normalised(JoinRun run, JoinCommand command, LinearGain gain)
      throws IOException, InterruptedException {
    Loudness target = run.audio().loudness();
    if (gain == null) {
      return encoder
          .encode(run, command, null)
          .withLoudnessShortfall(
              String.format(
                  Locale.ROOT,
                  "the audio is silent (at or below the %.0f LUFS gate): no gain brings it to %.1f LUFS",
                  LinearGain.SILENCE_LUFS,
                  target.integratedLufs()));
    }
    MeasuredAudio measured = encoder.encode(run, command, gain);
    LinearGain.Attempt earlier = null;
    for (int encodes = 1; !LinearGain.reached(target, measured); encodes++) {
      boolean tooQuietAtCap =
          gain.atLimitingCap(target) && measured.integratedLufs() < target.integratedLufs();
      if (encodes == MAX_LOUDNESS_ENCODES || tooQuietAtCap) {
        return measured.withLoudnessShortfall(shortfall(target, measured, gain, encodes));
      }
      LinearGain corrected = gain.correctedFor(target, measured, earlier);
      earlier = new LinearGain.Attempt(gain, measured);
      gain = corrected;
      log.info(
          "job {}: the encoded file measures {} LUFS, {} dBTP against {} LUFS, {} dBTP; encoding again with {}",
          run.jobId(),
          String.format(Locale.ROOT, "%.3f", measured.integratedLufs()),
          String.format(Locale.ROOT, "%.3f", measured.truePeakDb()),
          target.integratedLufs(),
          target.truePeakDb(),
          gain.filter());
      measured = encoder.encode(run, command, gain);
    }
    return measured;
  }

  private LinearGain firstGain(JoinRun run, JoinCommand command, LoudnessSummary source)
      throws IOException, InterruptedException {
    if (source.integratedLufs() <= LinearGain.SILENCE_LUFS) {
      return null;
    }
    Loudness target = run.audio().loudness();
    Encoding encoding = run.audio().encoding();
    LinearGain guessed =
        LinearGain.toReach(
            target,
            source,
            LinearGain.predictedEncoderDropDb(run.format(), encoding.bitrateKbps()));
    OptionalDouble measured =
        dropProbe.dropDb(
            run.jobId(),
            excerpts(run, command),
            run.format(),
            encoding,
            guessed,
            run.stallLimit(),
            run.progress());
    return measured.isPresent()
        ? LinearGain.toReach(target, source, measured.getAsDouble())
        : guessed;
  }

  /** The excerpts the first pass keeps for the encoder's probe, in the channels it meters. */
  private static ProgrammeExcerpts excerpts(JoinRun run, JoinCommand command) {
    Encoding metered = command.firstPassLayout(run.audio().encoding()).metered();
    return ProgrammeExcerpts.of(
        run.dir().root(),
        run.timeline().totalMicros() / 1e6,
        metered.sampleRate(),
        metered.channels());
  }

  private static String shortfall(
      Loudness target, MeasuredAudio measured, LinearGain gain, int encodes) {
    String reading =
        String.format(
            Locale.ROOT,
            "after %d encodes the output measures %.2f LUFS and %.2f dBTP"
                + " against %.1f LUFS and a %.1f dBTP ceiling",
            encodes,
            measured.integratedLufs(),
            measured.truePeakDb(),
            target.integratedLufs(),
            target.truePeakDb());
    if (gain.atLimitingCap(target) && measured.integratedLufs() < target.integratedLufs()) {
      return reading
          + String.format(
              Locale.ROOT,
              ": the target would need the limiter to take more than %.0f dB"
                  + " off the peaks to hold the ceiling",
              LinearGain.MAX_LIMITING_DB);
    }
    return reading
        + (gain.limitDb() == null
            ? ""
            : String.format(
                Locale.ROOT,
                ": the limiter (at %.2f dBFS) cannot hold the ceiling at that loudness",
                gain.limitDb()));
  }

  /**
   * The first pass: the joined audio's loudness before any gain, or an earlier step's reading of it
   * on this host ({@link KeptLoudness}).
   */
  private LoudnessSummary meter(JoinRun run, JoinCommand command, KeptJoinPcm keep)
      throws IOException, InterruptedException {
    JobWorkDir dir = run.dir();
    AudioSpec audio = run.audio();
    Duration stallLimit = run.stallLimit();
    PhaseProgress progress = run.progress();
    String jobId = dir.jobId();
    Path frameLog = dir.root().resolve("joined.r128.txt");
    List<String> meter = command.meter(audio.encoding(), frameLog);
    var kept = new KeptLoudness(dir, meter);
    Optional<LoudnessSummary> earlier = kept.read();
    LoudnessSummary measured;
    if (earlier.isPresent()) {
      measured = earlier.get();
    } else {
      Optional<LoudnessSummary> inJava = meterInJava(run, command, keep);
      measured =
          inJava.isPresent()
              ? inJava.get()
              : meterWithFfmpeg(jobId, meter, frameLog, stallLimit, progress);
      kept.keep(measured);
    }
    log.info(
        "job {}: joined audio measures {} LUFS, {} dBTP before normalisation{}",
        jobId,
        String.format(Locale.ROOT, "%.3f", measured.integratedLufs()),
        String.format(Locale.ROOT, "%.3f", measured.truePeakDb()),
        earlier.isPresent() ? " (as an earlier step on this host measured it)" : "");
    return measured;
  }

  /**
   * The first pass through the Java meter, keeping the join in {@code keep} if not null. Should the
   * disk fill while it does (other jobs on this host wrote too), the pass runs again without.
   */
  private Optional<LoudnessSummary> meterInJava(JoinRun run, JoinCommand command, KeptJoinPcm keep)
      throws IOException, InterruptedException {
    JobWorkDir dir = run.dir();
    Encoding encoding = run.audio().encoding();
    try {
      Optional<LoudnessSummary> measured =
          joinMeter.measure(
              dir,
              command,
              encoding,
              run.stallLimit(),
              run.progress(),
              excerpts(run, command),
              keep == null ? null : keep.inProgress());
      if (keep != null && measured.isPresent()) {
        keep.finish();
      }
      return measured;
    } catch (IOException | ApplicationFailure e) {
      if (keep == null || !keep.filledTheDisk()) {
        throw e;
      }
      keep.delete();
      log.warn(
          "job {}: the disk filled while the first pass kept the join ({}); measuring again"
              + " without keeping it, the encodes decode the segments",
          run.jobId(),
          e instanceof ApplicationFailure failure ? failure.getOriginalMessage() : e.getMessage());
      return joinMeter.measure(
          dir, command, encoding, run.stallLimit(), run.progress(), excerpts(run, command), null);
    }
  }

  /** The first pass through FFmpeg's own meter, where the Java meter cannot run. */
  private LoudnessSummary meterWithFfmpeg(
      String jobId, List<String> meter, Path frameLog, Duration stallLimit, PhaseProgress progress)
      throws IOException, InterruptedException {
    FfmpegExit exit =
        supervisor.run(
            jobId,
            meter,
            Path.of("-"),
            stallLimit,
            p -> progress.heartbeat(new ConcatHeartbeat("meter", 0, p.outTimeMicros())));
    if (!exit.succeeded()) {
      throw exit.toFailure(jobId + " (measuring loudness)");
    }
    return exit.loudness(jobId, frameLog);
  }
}
