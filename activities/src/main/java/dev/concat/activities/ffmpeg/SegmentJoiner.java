package dev.concat.activities.ffmpeg;

import dev.concat.activities.ConcatOutput;
import dev.concat.activities.FailureTypes;
import dev.concat.activities.OutputFormat;
import dev.concat.activities.S3Uri;
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
 * The concat phase: probes the downloaded segments, picks copy or re-encode, runs FFmpeg's
 * concat demuxer into a temporary file, renames it into place and measures the result.
 */
public final class SegmentJoiner {
  private static final Logger log = LoggerFactory.getLogger(SegmentJoiner.class);

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final SegmentProber prober;
  private final SegmentNormalizer normalizer;
  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;

  public SegmentJoiner(Path ffmpeg, Path ffprobe, Map<String, String> environment, ShutdownGate gate,
      Duration killGrace, JobMetrics metrics) {
    var launcher = new ProcessLauncher(environment);
    this.ffmpeg = ffmpeg;
    this.ffprobe = new Ffprobe(ffprobe, launcher);
    this.prober = new SegmentProber(ffmpeg, launcher);
    this.supervisor = new FfmpegSupervisor(launcher, gate, killGrace, metrics);
    this.normalizer = new SegmentNormalizer(ffmpeg, supervisor);
    this.gate = gate;
  }

  /**
   * Joins the job's segments into {@code dir.output(format)}.
   *
   * @param stallLimit how long FFmpeg may go without writing before it is killed as stalled
   */
  public ConcatOutput join(JobWorkDir dir, List<S3Uri> segments, OutputFormat format, boolean allowCopy,
      Duration stallLimit, PhaseProgress progress) {
    long started = System.nanoTime();
    List<Path> files = presentSegments(dir, segments);
    List<AudioProbe> probes = prober.probeAll(dir.jobId(), files, segments, probed -> {
      gate.throwIfClosed();
      progress.heartbeat(new ConcatHeartbeat("probe", probed, 0));
    });
    ConcatMode mode = ConcatMode.choose(probes, format, allowCopy);
    boolean uniform = probes.stream().allMatch(probes.get(0)::sameStreamAs);
    var timeline = new SegmentTimeline(probes);
    log.info("job {}: joining {} segments ({} s) in {} mode{}", dir.jobId(), segments.size(),
        String.format("%.3f", timeline.totalSeconds()), mode.label(),
        uniform ? "" : ", decoding them to PCM first because their formats differ");
    try {
      List<Path> inputs = uniform ? files : normalizer.toPcm(dir, files, segments, stallLimit, progress);
      Path output = runConcat(dir, inputs, format, mode, stallLimit, p -> {
        int done = p.end() ? segments.size() : timeline.segmentsDone(p.outTimeMicros());
        progress.advanced(done, new ConcatHeartbeat("join", done, p.outTimeMicros()));
      });
      AudioProbe result = measure(dir.jobId(), output);
      long size = Files.size(output);
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("job {}: joined into {} bytes, {} s of audio (inputs sum to {} s) in {} s", dir.jobId(), size,
          String.format("%.3f", result.durationSeconds()), String.format("%.3f", timeline.totalSeconds()),
          String.format("%.1f", seconds));
      return new ConcatOutput(result.durationSeconds(), size, mode.label(), seconds);
    } catch (IOException e) {
      throw new UncheckedIOException("job " + dir.jobId() + ": concat failed in " + dir.root(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException("job " + dir.jobId() + ": concat interrupted", e);
    }
  }

  /** Runs the concat demuxer over {@code inputs} into a temporary file and renames it into place. */
  private Path runConcat(JobWorkDir dir, List<Path> inputs, OutputFormat format, ConcatMode mode,
      Duration stallLimit, Consumer<FfmpegProgress> progressed) throws IOException, InterruptedException {
    Path partial = dir.partialOutput(format.extension());
    Path output = dir.output(format.extension());
    ConcatListFile.write(dir.concatList(), inputs);
    Files.deleteIfExists(partial);
    List<String> command = FfmpegCommand.concat(ffmpeg, dir.concatList(), partial, format, mode);
    FfmpegExit exit = supervisor.run(dir.jobId(), command, partial, stallLimit, progressed);
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

  private AudioProbe measure(String jobId, Path output) throws IOException {
    try {
      return ffprobe.probe(output);
    } catch (UnusableAudioException e) {
      throw ApplicationFailure.newFailure(
          "job " + jobId + ": FFmpeg exited 0 but its output is unreadable: " + e.getMessage(),
          FailureTypes.FFMPEG_FAILED);
    }
  }
}
