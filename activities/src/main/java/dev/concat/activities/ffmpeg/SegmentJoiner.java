package dev.concat.activities.ffmpeg;

import dev.concat.activities.ConcatOutput;
import dev.concat.activities.FailureTypes;
import dev.concat.activities.OutputFormat;
import dev.concat.activities.S3Uri;
import dev.concat.activities.audio.AudioSpec;
import dev.concat.activities.audio.MeasuredAudio;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.workdir.JobWorkDir;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concat phase: probes the downloaded segments, plans the join ({@link JoinPlan}), decodes
 * the segments first where that plan needs it, meters the loudness when the job normalises it,
 * runs the join into a temporary file, renames it into place and measures the result.
 */
public final class SegmentJoiner {
  private static final Logger log = LoggerFactory.getLogger(SegmentJoiner.class);

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final SegmentProber prober;
  private final SegmentDecoder decoder;
  private final OutputMeasurer measurer;
  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;

  public SegmentJoiner(Path ffmpeg, Path ffprobe, Map<String, String> environment, ShutdownGate gate,
      Duration killGrace, JobMetrics metrics) {
    var launcher = new ProcessLauncher(environment);
    this.ffmpeg = ffmpeg;
    this.ffprobe = new Ffprobe(ffprobe, launcher);
    this.prober = new SegmentProber(ffmpeg, launcher);
    this.supervisor = new FfmpegSupervisor(launcher, gate, killGrace, metrics);
    this.decoder = new SegmentDecoder(ffmpeg, this.ffprobe, supervisor);
    this.measurer = new OutputMeasurer(ffmpeg, this.ffprobe, supervisor);
    this.gate = gate;
  }

  /**
   * Joins the job's segments into {@code dir.output(format)}.
   *
   * @param stallLimit how long FFmpeg may go without writing before it is killed as stalled
   */
  public ConcatOutput join(JobWorkDir dir, List<S3Uri> segments, OutputFormat format, boolean allowCopy,
      AudioSpec audio, Duration stallLimit, PhaseProgress progress) {
    long started = System.nanoTime();
    List<Path> files = presentSegments(dir, segments);
    List<AudioProbe> probes = prober.probeAll(dir.jobId(), files, segments, probed -> {
      gate.throwIfClosed();
      progress.heartbeat(new ConcatHeartbeat("probe", probed, 0));
    });
    JoinPlan plan = JoinPlan.choose(probes, format, allowCopy, audio);
    JoinDiskNeed.require(dir, plan, probes, files, audio);
    try {
      Path cover = audio.cover() == null ? null : CoverImage.checked(dir, audio.cover(), ffprobe);
      JoinSource source = plan.decodeFirst()
          ? JoinSource.decoded(ffmpeg, dir, files, segments, decoder.decode(dir, files, segments, probes, audio,
              stallLimit, progress), audio)
          : JoinSource.demuxed(ffmpeg, dir, files, probes);
      log.info("job {}: joining {} segments ({}) in {} mode{}: {}", dir.jobId(), segments.size(),
          source.layout().describeTotal(), plan.mode().label(),
          plan.decodeFirst() ? ", each decoded first" : "", plan.reason());
      JoinCommand command = source.command();
      if (audio.metadata() != null || !audio.chapters().isEmpty()) {
        FfmpegMetadataFile.write(dir.metadataFile(), audio.metadata(), source.layout().spans(audio.chapters()));
        command = command.withTags(dir.metadataFile(), cover);
      }
      var run = new Run(dir, format, plan.mode(), audio, stallLimit, progress, new SegmentTimeline(source.layout()),
          segments.size());
      LinearGain gain = audio.loudness() == null
          ? null
          : LinearGain.toReach(audio.loudness(), meter(dir.jobId(), command, audio, stallLimit, progress));
      MeasuredAudio measured = encode(run, command, gain);
      if (gain != null && LinearGain.missed(audio.loudness(), measured.integratedLufs())) {
        gain = gain.correctedFor(audio.loudness(), measured.integratedLufs(), measured.truePeakDb());
        log.info("job {}: the encoded file measures {} LUFS against {}; encoding again with {} dB", dir.jobId(),
            measured.integratedLufs(), audio.loudness().integratedLufs(), String.format("%.2f", gain.gainDb()));
        measured = encode(run, command, gain);
      }
      Path output = dir.output(format.extension());
      long size = Files.size(output);
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("job {}: joined into {} bytes, {} s of audio ({}), {} LUFS, {} dBTP, in {} s",
          dir.jobId(), size, String.format("%.3f", measured.decodedSeconds()),
          source.layout().describeTotal(), measured.integratedLufs(), measured.truePeakDb(),
          String.format("%.1f", seconds));
      return new ConcatOutput(measured.decodedSeconds(), size, plan.mode().label(), seconds, measured);
    } catch (IOException e) {
      throw new UncheckedIOException("job " + dir.jobId() + ": concat failed in " + dir.root(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException("job " + dir.jobId() + ": concat interrupted", e);
    }
  }

  /** What every encode of one job shares. */
  private record Run(JobWorkDir dir, OutputFormat format, ConcatMode mode, AudioSpec audio, Duration stallLimit,
      PhaseProgress progress, SegmentTimeline timeline, int segments) {}

  /** Runs the join with {@code gain} (or none) into the output file, and measures what it wrote. */
  private MeasuredAudio encode(Run run, JoinCommand command, LinearGain gain) throws IOException, InterruptedException {
    JoinCommand join = gain == null ? command : command.withGain(gain.filter());
    Path output = runJoin(run.dir(), join, run.format(), run.mode(), run.audio(), run.stallLimit(), p -> {
      int done = p.end() ? run.segments() : run.timeline().segmentsDone(p.outTimeMicros());
      run.progress().advanced(done, new ConcatHeartbeat("join", done, p.outTimeMicros()));
    });
    return measurer.measure(run.dir().jobId(), output, gain == null ? null : gain.gainDb(), run.stallLimit(),
        run.progress());
  }

  /** The first pass of loudness normalisation: the joined audio's loudness before any gain. */
  private LoudnessSummary meter(String jobId, JoinCommand command, AudioSpec audio, Duration stallLimit,
      PhaseProgress progress) throws IOException, InterruptedException {
    FfmpegExit exit = supervisor.run(jobId, command.meter(audio.encoding()), Path.of("-"), stallLimit,
        p -> progress.heartbeat(new ConcatHeartbeat("meter", 0, p.outTimeMicros())));
    if (!exit.succeeded()) {
      throw exit.toFailure(jobId + " (measuring loudness)");
    }
    LoudnessSummary measured = exit.loudness(jobId);
    log.info("job {}: joined audio measures {} LUFS, {} dBTP before normalisation", jobId,
        measured.integratedLufs(), measured.truePeakDb());
    return measured;
  }

  /** Runs the join into a temporary file and renames it into place. */
  private Path runJoin(JobWorkDir dir, JoinCommand command, OutputFormat format, ConcatMode mode, AudioSpec audio,
      Duration stallLimit, Consumer<FfmpegProgress> progressed) throws IOException, InterruptedException {
    Path partial = dir.partialOutput(format.extension());
    Path output = dir.output(format.extension());
    Files.deleteIfExists(partial);
    FfmpegExit exit = supervisor.run(dir.jobId(), command.encode(format, mode, audio.encoding(), partial), partial,
        stallLimit, progressed);
    if (!exit.succeeded()) {
      Files.deleteIfExists(partial);
      throw exit.toFailure(dir.jobId());
    }
    Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return output;
  }

  /** The segment files, or {@code WorkDirLost} when this host no longer has one of them. */
  private static List<Path> presentSegments(JobWorkDir dir, List<S3Uri> segments) {
    List<Path> files = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      Path file = dir.segment(i, segments.get(i).extension());
      if (!Files.isRegularFile(file)) {
        throw ApplicationFailure.newFailure("job " + dir.jobId() + ": segment " + i + " (" + segments.get(i)
            + ") is not in " + dir.segmentsDir() + " on this host; the download must run again",
            FailureTypes.WORK_DIR_LOST);
      }
      files.add(file);
    }
    return files;
  }
}
