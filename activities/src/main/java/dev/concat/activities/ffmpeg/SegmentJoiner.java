package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.chunk.JoinedMp3Meter;
import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concat phase: probes the downloaded segments, plans the join ({@link JoinPlan}), decodes the
 * segments first where that plan needs it, meters the loudness when the job normalises it, runs the
 * join into a temporary file, renames it into place and measures the result.
 */
public final class SegmentJoiner {
  private static final Logger log = LoggerFactory.getLogger(SegmentJoiner.class);

  /**
   * Encodes one loudness-normalised job may take: the first, a correction (which nearly always
   * lands), and two more for a limiter that has to work harder than the gain alone predicts.
   */
  private static final int MAX_LOUDNESS_ENCODES = 4;

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final SegmentProber prober;
  private final SegmentDecoder decoder;
  private final OutputMeasurer measurer;
  private final JoinLoudnessMeter joinMeter;
  private final EncoderDropProbe dropProbe;

  /**
   * Decodes for the Java loudness meter: the output's measurement, in ranges or as it is written.
   */
  private final ChunkLoudnessMeter loudnessReader;

  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;
  private final long maxDecodedSeconds;
  private final ChunkedJoinEncode chunked;
  private final JoinStaging staging;
  private final Duration runLength;

  /**
   * @param maxDecodedSeconds the most audio a job's segments may hold together, as probed
   * @param chunkedEncoding which re-encoded MP3 joins are encoded in chunks
   * @param encoderCores the worker's cores, shared by its jobs' chunk encoders
   */
  public SegmentJoiner(
      Path ffmpeg,
      Path ffprobe,
      ProcessLauncher launcher,
      ShutdownGate gate,
      Duration killGrace,
      JobMetrics metrics,
      long maxDecodedSeconds,
      ChunkedEncoding chunkedEncoding,
      EncoderCores encoderCores) {
    this.maxDecodedSeconds = maxDecodedSeconds;
    this.ffmpeg = ffmpeg;
    this.ffprobe = new Ffprobe(ffprobe, launcher);
    this.prober = new SegmentProber(ffmpeg, launcher);
    this.supervisor = new FfmpegSupervisor(launcher, gate, killGrace, metrics);
    this.loudnessReader = new ChunkLoudnessMeter(ffmpeg, launcher);
    this.decoder = new SegmentDecoder(ffmpeg, this.ffprobe, supervisor);
    this.measurer =
        new OutputMeasurer(
            ffmpeg,
            this.ffprobe,
            supervisor,
            new RangedOutputMeter(new JoinedMp3Meter(loudnessReader), encoderCores, gate));
    this.joinMeter = new JoinLoudnessMeter(supervisor);
    this.dropProbe = new EncoderDropProbe(ffmpeg, supervisor, loudnessReader);
    this.gate = gate;
    this.chunked =
        new ChunkedJoinEncode(ffmpeg, launcher, supervisor, gate, chunkedEncoding, encoderCores);
    this.staging = new JoinStaging(supervisor, gate, chunkedEncoding.chunkLength());
    this.runLength = chunkedEncoding.runLength();
  }

  /**
   * Joins the job's segments into {@code dir.output(format)}.
   *
   * @param stallLimit how long FFmpeg may go without writing before it is killed as stalled
   */
  public ConcatOutput join(
      JobWorkDir dir,
      List<S3Uri> uris,
      OutputFormat format,
      boolean allowCopy,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress) {
    return join(dir, uris, format, allowCopy, audio, stallLimit, progress, null);
  }

  /**
   * As above, except that a join encoded in chunks is not encoded here when {@code store} is given:
   * its chunks' inputs go there for other workers to encode ({@link ConcatOutput#staged}), and a
   * second call without staging, once they are encoded and fetched back into {@link
   * JobWorkDir#chunksDir()}, joins them.
   *
   * @param store where to stage the chunks, or null to encode them on this host
   */
  public ConcatOutput join(
      JobWorkDir dir,
      List<S3Uri> uris,
      OutputFormat format,
      boolean allowCopy,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress,
      PieceStore store) {
    long started = System.nanoTime();
    List<Segment> present = presentSegments(dir, uris);
    List<ProbedSegment> segments =
        prober.probeAll(
            dir.jobId(),
            present,
            probed -> {
              gate.throwIfClosed();
              progress.heartbeat(new ConcatHeartbeat("probe", probed, 0));
            });
    List<AudioProbe> probes = ProbedSegment.probes(segments);
    DecodedLength.requireWithin(dir.jobId(), probes, maxDecodedSeconds);
    JoinPlan plan = JoinPlan.choose(probes, format, allowCopy, audio);
    double probedSeconds = probes.stream().mapToDouble(AudioProbe::durationSeconds).sum();
    boolean inChunks =
        format == OutputFormat.MP3
            && plan.mode() == ConcatMode.REENCODE
            && chunked.applies(probedSeconds, audio.encoding());
    JoinDiskNeed.require(
        dir,
        plan,
        segments,
        audio,
        inChunks ? ChunkedJoinEncode.pcmBytesToWrite(dir, probedSeconds, audio.encoding()) : 0);
    try {
      Path cover = audio.cover() == null ? null : CoverImage.checked(dir, audio.cover(), ffprobe);
      JoinSource source =
          plan.decodeFirst()
              ? JoinSource.decoded(
                  ffmpeg,
                  dir,
                  present,
                  decoder.decode(dir, segments, audio, stallLimit, progress),
                  audio)
              : JoinSource.demuxed(ffmpeg, dir, segments);
      log.info(
          "job {}: joining {} segments ({}) in {} mode{}{}: {}",
          dir.jobId(),
          segments.size(),
          source.layout().describeTotal(),
          plan.mode().label(),
          plan.decodeFirst() ? ", each decoded first" : "",
          inChunks ? ", encoded in chunks" : "",
          plan.reason());
      JoinCommand command = source.command();
      if (audio.metadata() != null || !audio.chapters().isEmpty()) {
        FfmpegMetadataFile.write(
            dir.metadataFile(), audio.metadata(), source.layout().spans(audio.chapters()));
        command = command.withTags(dir.metadataFile(), cover);
      }
      var run =
          new Run(
              dir,
              format,
              plan.mode(),
              audio,
              stallLimit,
              progress,
              new SegmentTimeline(source.layout()),
              segments.size(),
              inChunks);
      if (store != null && inChunks) {
        return staged(run, command, store, started);
      }
      MeasuredAudio measured =
          audio.loudness() == null
              ? encode(run, command, null)
              : normalised(run, command, meter(run, command));
      Path output = dir.output(format.extension());
      long size = Files.size(output);
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info(
          "job {}: joined into {} bytes, {} s of audio ({}), {} LUFS, {} dBTP, in {} s",
          dir.jobId(),
          size,
          String.format("%.3f", measured.decodedSeconds()),
          source.layout().describeTotal(),
          measured.integratedLufs(),
          measured.truePeakDb(),
          String.format("%.1f", seconds));
      return new ConcatOutput(
          measured.decodedSeconds(), size, plan.mode().label(), seconds, measured);
    } catch (IOException e) {
      throw new UncheckedIOException(
          FailureSubject.job(dir.jobId()).describe("concat failed in " + dir.root()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(FailureSubject.job(dir.jobId()).describe("concat interrupted"), e);
    }
  }

  /** What every encode of one job shares. */
  private record Run(
      JobWorkDir dir,
      OutputFormat format,
      ConcatMode mode,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress,
      SegmentTimeline timeline,
      int segments,
      boolean inChunks) {}

  /**
   * Stages the chunks of the join's first encode: with the gain that brings it to the loudness
   * target, if any. Should the joined file then miss the target, the encode with the corrected gain
   * runs on this host, as every encode of a join that is not spread does.
   */
  private ConcatOutput staged(Run run, JoinCommand command, PieceStore store, long started)
      throws IOException, InterruptedException {
    JobWorkDir dir = run.dir();
    LinearGain gain = run.audio().loudness() == null ? null : firstGain(run, meter(run, command));
    JoinCommand join = gain == null ? command : command.withGain(gain.filter());
    Encoding encoding = run.audio().encoding();
    List<StagedChunk> chunks =
        staging.stage(dir, join, encoding, run.stallLimit(), run.progress(), store);
    double seconds = (System.nanoTime() - started) / 1e9;
    return ConcatOutput.staged(
        new StagedChunks(
            store.prefix(),
            encoding.sampleRate(),
            encoding.bitrateKbps(),
            true,
            chunks,
            runLength.toSeconds()),
        seconds);
  }

  /**
   * The gain of a normalised join's first encode; null when the audio is silent. It makes up for
   * what the encoder (and a limiter) takes off this programme's loudness, as its excerpts measure
   * it ({@link EncoderDropProbe}), or as the table guesses where there are none.
   */
  private LinearGain firstGain(Run run, LoudnessSummary source)
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
            run.dir().jobId(),
            excerpts(run),
            run.format(),
            encoding,
            guessed,
            run.stallLimit(),
            run.progress());
    return measured.isPresent()
        ? LinearGain.toReach(target, source, measured.getAsDouble())
        : guessed;
  }

  /** The excerpts the first pass keeps for the encoder's probe. */
  private static ProgrammeExcerpts excerpts(Run run) {
    Encoding encoding = run.audio().encoding();
    return ProgrammeExcerpts.of(
        run.dir().root(),
        run.timeline().totalMicros() / 1e6,
        encoding.sampleRate(),
        encoding.channels());
  }

  /**
   * Encodes with the gain that brings {@code source} to the target, measures the result, and
   * encodes again with the gain corrected by the miss until it is on target, at most {@link
   * #MAX_LOUDNESS_ENCODES} times. What still misses says why in the result.
   */
  private MeasuredAudio normalised(Run run, JoinCommand command, LoudnessSummary source)
      throws IOException, InterruptedException {
    Loudness target = run.audio().loudness();
    String jobId = run.dir().jobId();
    LinearGain gain = firstGain(run, source);
    if (gain == null) {
      return encode(run, command, null)
          .withLoudnessShortfall(
              String.format(
                  Locale.ROOT,
                  "the audio is silent (at or below the %.0f LUFS gate): no gain brings it to %.1f LUFS",
                  LinearGain.SILENCE_LUFS,
                  target.integratedLufs()));
    }
    MeasuredAudio measured = encode(run, command, gain);
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
          jobId,
          String.format(Locale.ROOT, "%.3f", measured.integratedLufs()),
          String.format(Locale.ROOT, "%.3f", measured.truePeakDb()),
          target.integratedLufs(),
          target.truePeakDb(),
          gain.filter());
      measured = encode(run, command, gain);
    }
    return measured;
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
   * Runs the join with {@code gain} (or none) into the output file, and measures what it wrote: a
   * re-encoded MP3 while it is written ({@link ConcurrentOutputMeter}), anything else after.
   */
  private MeasuredAudio encode(Run run, JoinCommand command, LinearGain gain)
      throws IOException, InterruptedException {
    JoinCommand join = gain == null ? command : command.withGain(gain.filter());
    Double gainDb = gain == null ? null : gain.gainDb();
    String jobId = run.dir().jobId();
    Path output = run.dir().output(run.format().extension());
    if (run.inChunks()) {
      return encodeInChunks(run, join, gainDb);
    }
    Optional<ConcurrentOutputMeter> meter =
        run.format() == OutputFormat.MP3 && run.mode() == ConcatMode.REENCODE
            ? ConcurrentOutputMeter.start(
                jobId, run.dir().partialOutput(run.format().extension()), loudnessReader)
            : Optional.empty();
    try {
      Long exactSamples =
          runJoin(
              run.dir(),
              join,
              run.format(),
              run.mode(),
              run.audio(),
              run.stallLimit(),
              p -> {
                int done =
                    p.end() ? run.segments() : run.timeline().segmentsDone(p.outTimeMicros());
                run.progress().advanced(done, new ConcatHeartbeat("join", done, p.outTimeMicros()));
              },
              () -> meter.ifPresent(ConcurrentOutputMeter::sourceComplete));
      if (meter.isPresent()) {
        ConcurrentOutputMeter m = meter.get();
        Optional<LoudnessSummary> reading =
            m.result(
                () ->
                    run.progress().heartbeat(new ConcatHeartbeat("measure", 0, m.decodedMicros())));
        if (reading.isPresent()) {
          Optional<MeasuredAudio> measured =
              measurer.withReading(jobId, output, reading.get(), m.decodedMicros(), gainDb);
          if (measured.isPresent()) {
            return measured.get();
          }
          log.warn(
              "job {}: the reading taken while the output was written does not cover it; measuring it again",
              jobId);
        }
      }
      return measurer.measure(
          jobId, output, exactSamples, gainDb, run.stallLimit(), run.progress());
    } finally {
      meter.ifPresent(ConcurrentOutputMeter::close);
    }
  }

  private MeasuredAudio encodeInChunks(Run run, JoinCommand join, Double gainDb)
      throws IOException, InterruptedException {
    Path partial = run.dir().partialOutput(run.format().extension());
    Path output = run.dir().output(run.format().extension());
    ChunkedJoinEncode.Encoded encoded =
        chunked.encode(
            run.dir(),
            join,
            run.audio().encoding(),
            run.timeline().totalMicros() / 1e6,
            partial,
            run.stallLimit(),
            run.progress(),
            seconds -> {
              long micros = (long) (seconds * 1e6);
              int done = run.timeline().segmentsDone(micros);
              run.progress().advanced(done, new ConcatHeartbeat("join", done, micros));
            });
    Files.move(
        partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    ChunkLoudness loudness = encoded.loudness();
    var reading =
        new LoudnessSummary(
            Math.max(LinearGain.SILENCE_LUFS, loudness.integratedLufs()),
            loudness.truePeakDb(),
            loudness.loudnessRangeLu());
    long micros = encoded.samples() * 1_000_000 / run.audio().encoding().sampleRate();
    Optional<MeasuredAudio> measured =
        measurer.withReading(run.dir().jobId(), output, reading, micros, gainDb);
    if (measured.isPresent()) {
      return measured.get();
    }
    return measurer.measure(
        run.dir().jobId(), output, encoded.samples(), gainDb, run.stallLimit(), run.progress());
  }

  /** The first pass of loudness normalisation: the joined audio's loudness before any gain. */
  private LoudnessSummary meter(Run run, JoinCommand command)
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
      Optional<LoudnessSummary> inJava =
          joinMeter.measure(dir, command, audio.encoding(), stallLimit, progress, excerpts(run));
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

  /**
   * Runs the join into a temporary file, makes a re-encoded M4A gapless ({@link Mp4GaplessTag}) and
   * renames it into place. {@code written} runs as soon as FFmpeg has written it all.
   *
   * @return the exact number of samples a gapless player plays, where the container says it (M4A);
   *     else null
   */
  private Long runJoin(
      JobWorkDir dir,
      JoinCommand command,
      OutputFormat format,
      ConcatMode mode,
      AudioSpec audio,
      Duration stallLimit,
      Consumer<FfmpegProgress> progressed,
      Runnable written)
      throws IOException, InterruptedException {
    Path partial = dir.partialOutput(format.extension());
    Path output = dir.output(format.extension());
    Files.deleteIfExists(partial);
    FfmpegExit exit =
        supervisor.run(
            dir.jobId(),
            command.encode(format, mode, audio.encoding(), partial),
            partial,
            stallLimit,
            progressed);
    if (!exit.succeeded()) {
      Files.deleteIfExists(partial);
      throw exit.toFailure(dir.jobId());
    }
    written.run();
    Long samples = null;
    if (format == OutputFormat.M4A && mode == ConcatMode.REENCODE) {
      Mp4GaplessTag.Gapless gapless = Mp4GaplessTag.apply(partial);
      log.info(
          "job {}: M4A gapless: {} samples after {} of priming, {} of padding",
          dir.jobId(),
          gapless.samples(),
          gapless.priming(),
          gapless.padding());
      samples = gapless.samples();
    }
    Files.move(
        partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return samples;
  }

  /**
   * The segments with their files, or {@code WorkDirLost} when this host no longer has one of them.
   */
  private static List<Segment> presentSegments(JobWorkDir dir, List<S3Uri> uris) {
    List<Segment> segments = new ArrayList<>(uris.size());
    for (int i = 0; i < uris.size(); i++) {
      Segment segment = new Segment(i, uris.get(i), dir.segment(i, uris.get(i).extension()));
      if (!Files.isRegularFile(segment.file())) {
        throw FailureType.WORK_DIR_LOST.failure(
            segment
                .subject(dir.jobId())
                .describe(
                    "is not in "
                        + dir.segmentsDir()
                        + " on this host; the download must run again"));
      }
      segments.add(segment);
    }
    return segments;
  }
}
