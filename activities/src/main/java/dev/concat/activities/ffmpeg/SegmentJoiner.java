package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.chunk.JoinedMp3Meter;
import dev.concat.activities.chunk.PieceStore;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.MeasuredAudio;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concat phase: probes the downloaded segments, plans the join ({@link JoinPlan}), decodes the
 * segments first where that plan needs it, and encodes the join into the output file, measured
 * ({@link JoinEncoder}); to the loudness target where the job asks for one ({@link
 * LoudnessNormaliser}), or stages its chunks for other workers ({@link JoinStaging}).
 */
public final class SegmentJoiner {
  private static final Logger log = LoggerFactory.getLogger(SegmentJoiner.class);

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final SegmentProber prober;
  private final SegmentDecoder decoder;
  private final JoinEncoder encoder;
  private final LoudnessNormaliser normaliser;
  private final ShutdownGate gate;
  private final long maxDecodedSeconds;
  private final ChunkedJoinEncode chunked;
  private final JoinStaging staging;
  private final Duration runLength;

  /**
   * @param maxDecodedSeconds the most audio a job's segments may hold together, as probed
   * @param chunkedEncoding which re-encoded MP3 and M4A joins are encoded in chunks
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
    var supervisor = new FfmpegSupervisor(launcher, gate, killGrace, metrics);
    // Decodes for the Java loudness meter: the output's measurement, in ranges or as it is written.
    var loudnessReader = new ChunkLoudnessMeter(ffmpeg, launcher);
    this.decoder = new SegmentDecoder(ffmpeg, this.ffprobe, supervisor);
    var measurer =
        new OutputMeasurer(
            ffmpeg,
            this.ffprobe,
            supervisor,
            new RangedOutputMeter(new JoinedMp3Meter(loudnessReader), encoderCores, gate));
    this.gate = gate;
    this.chunked =
        new ChunkedJoinEncode(ffmpeg, launcher, supervisor, gate, chunkedEncoding, encoderCores);
    this.encoder = new JoinEncoder(supervisor, measurer, loudnessReader, chunked);
    this.normaliser =
        new LoudnessNormaliser(
            supervisor,
            new JoinLoudnessMeter(supervisor),
            new EncoderDropProbe(ffmpeg, supervisor, loudnessReader),
            encoder);
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
    return join(
        dir, uris, format, allowCopy, audio, stallLimit, progress, seconds -> Optional.empty());
  }

  /**
   * As above, except that a join encoded in chunks is not encoded here when {@code staging} gives a
   * store: its chunks' inputs go there for other workers to encode ({@link ConcatOutput#staged}),
   * and a second call without staging, once they are encoded and fetched back into {@link
   * JobWorkDir#chunksDir()}, joins them.
   *
   * @param staging asked only for a join encoded in chunks, with its length as the probes estimate
   *     it: where to stage them, or empty to encode them on this host
   */
  public ConcatOutput join(
      JobWorkDir dir,
      List<S3Uri> uris,
      OutputFormat format,
      boolean allowCopy,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress,
      DoubleFunction<Optional<PieceStore>> staging) {
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
        plan.mode() == ConcatMode.REENCODE
            && chunked.applies(probedSeconds, format, audio.encoding());
    long joinedPcm =
        inChunks ? ChunkedJoinEncode.pcmBytesToWrite(dir, probedSeconds, audio.encoding()) : 0;
    if (inChunks && !JoinDiskNeed.fits(dir, plan, segments, audio, joinedPcm)) {
      // The chunks only make it faster: where the disk lacks room for their PCM, one FFmpeg.
      log.warn(
          "job {}: no room for the join's {} of PCM on this host's disk; encoding it in one pass",
          dir.jobId(),
          DiskSpace.mib(joinedPcm));
      inChunks = false;
      joinedPcm = 0;
    }
    JoinDiskNeed.require(dir, plan, segments, audio, joinedPcm);
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
          new JoinRun(
              dir,
              format,
              plan.mode(),
              audio,
              stallLimit,
              progress,
              new SegmentTimeline(source.layout()),
              segments.size(),
              inChunks);
      // Only MP3 chunks are spread over workers; an M4A's are encoded on this host.
      Optional<PieceStore> store =
          inChunks && format == OutputFormat.MP3 ? staging.apply(probedSeconds) : Optional.empty();
      if (store.isPresent()) {
        return staged(run, command, store.get(), started);
      }
      MeasuredAudio measured =
          audio.loudness() == null
              ? encoder.encode(run, command, null)
              : normaliser.normalised(run, command);
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

  /**
   * Stages the chunks of the join's first encode: with the gain that brings it to the loudness
   * target, if any. Should the joined file then miss the target, the encode with the corrected gain
   * runs on this host, as every encode of a join that is not spread does.
   */
  private ConcatOutput staged(JoinRun run, JoinCommand command, PieceStore store, long started)
      throws IOException, InterruptedException {
    JobWorkDir dir = run.dir();
    LinearGain gain = run.audio().loudness() == null ? null : normaliser.firstGain(run, command);
    JoinCommand join = gain == null ? command : command.withGain(gain.filter());
    Encoding encoding = run.audio().encoding();
    List<StagedChunk> chunks =
        staging.stage(
            dir,
            join,
            encoding,
            run.timeline().totalMicros() / 1e6,
            run.stallLimit(),
            run.progress(),
            store);
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
