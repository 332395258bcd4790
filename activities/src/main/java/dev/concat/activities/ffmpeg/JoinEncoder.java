package dev.concat.activities.ffmpeg;

import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.MeasuredAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a job's join once, with a gain or none, into the output file, and measures what it wrote:
 * a re-encoded MP3 while it is written ({@link ConcurrentOutputMeter}), a chunked one as its chunks
 * are joined ({@link ChunkedJoinEncode}), anything else after ({@link OutputMeasurer}).
 */
final class JoinEncoder {
  private static final Logger log = LoggerFactory.getLogger(JoinEncoder.class);

  private final FfmpegSupervisor supervisor;
  private final OutputMeasurer measurer;
  private final ChunkLoudnessMeter loudnessReader;
  private final ChunkedJoinEncode chunked;

  /**
   * @param loudnessReader decodes for the Java loudness meter, which measures a re-encoded MP3 as
   *     it is written
   */
  JoinEncoder(
      FfmpegSupervisor supervisor,
      OutputMeasurer measurer,
      ChunkLoudnessMeter loudnessReader,
      ChunkedJoinEncode chunked) {
    this.supervisor = supervisor;
    this.measurer = measurer;
    this.loudnessReader = loudnessReader;
    this.chunked = chunked;
  }

  /** Runs {@code command} with {@code gain} (or none) into the output file and measures it. */
  MeasuredAudio encode(JoinRun run, JoinCommand command, LinearGain gain)
      throws IOException, InterruptedException {
    JoinCommand join = gain == null ? command : command.withGain(gain.filter());
    Double gainDb = gain == null ? null : gain.gainDb();
    if (run.inChunks()) {
      return encodeInChunks(run, join, gainDb);
    }
    String jobId = run.jobId();
    Path output = run.dir().output(run.format().extension());
    Optional<ConcurrentOutputMeter> meter =
        run.format() == OutputFormat.MP3 && run.mode() == ConcatMode.REENCODE
            ? ConcurrentOutputMeter.start(
                jobId, run.dir().partialOutput(run.format().extension()), loudnessReader)
            : Optional.empty();
    try {
      Long exactSamples =
          runJoin(
              run,
              join,
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

  private MeasuredAudio encodeInChunks(JoinRun run, JoinCommand join, Double gainDb)
      throws IOException, InterruptedException {
    Path partial = run.dir().partialOutput(run.format().extension());
    Path output = run.dir().output(run.format().extension());
    ChunkedJoinEncode.Encoded encoded =
        chunked.encode(
            run.dir(),
            join,
            run.format(),
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
    if (run.format() == OutputFormat.M4A) {
      return measurer.withExactLength(run.jobId(), output, reading, encoded.samples(), gainDb);
    }
    long micros = encoded.samples() * 1_000_000 / run.audio().encoding().sampleRate();
    Optional<MeasuredAudio> measured =
        measurer.withReading(run.jobId(), output, reading, micros, gainDb);
    if (measured.isPresent()) {
      return measured.get();
    }
    return measurer.measure(
        run.jobId(), output, encoded.samples(), gainDb, run.stallLimit(), run.progress());
  }

  /**
   * Runs the join into a temporary file, makes a re-encoded M4A gapless ({@link Mp4GaplessTag}) and
   * renames it into place. {@code written} runs as soon as FFmpeg has written it all.
   *
   * @return the exact number of samples a gapless player plays, where the container says it (M4A);
   *     else null
   */
  private Long runJoin(
      JoinRun run, JoinCommand command, Consumer<FfmpegProgress> progressed, Runnable written)
      throws IOException, InterruptedException {
    JobWorkDir dir = run.dir();
    OutputFormat format = run.format();
    Path partial = dir.partialOutput(format.extension());
    Path output = dir.output(format.extension());
    Files.deleteIfExists(partial);
    FfmpegExit exit =
        supervisor.run(
            dir.jobId(),
            command.encode(format, run.mode(), run.audio().encoding(), partial),
            partial,
            run.stallLimit(),
            progressed);
    if (!exit.succeeded()) {
      Files.deleteIfExists(partial);
      throw exit.toFailure(dir.jobId());
    }
    written.run();
    Long samples = null;
    if (format == OutputFormat.M4A && run.mode() == ConcatMode.REENCODE) {
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
}
