package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.audio.Encoding;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first pass of loudness normalisation: FFmpeg decodes the join into a FIFO as 32-bit float
 * samples and Java meters them as they come ({@link ChunkLoudnessMeter#measureWav}), instead of
 * FFmpeg's {@code ebur128}, whose true peak resamples everything to 192 kHz on the decoding core.
 * The decode and the meter then run on two cores at once, and the meter costs a fifth of the
 * filter's CPU (measured by hand over set A's 40 minutes of MP3: {@code ebur128} 6.3 s of CPU, this
 * meter 1.6 s beside a 1.9 s decode, 2.1 s from start to end; 1.2 s since its true peak is
 * interpolated in floats).
 */
final class JoinLoudnessMeter {
  private static final Logger log = LoggerFactory.getLogger(JoinLoudnessMeter.class);

  /** How long the meter may take to read what FFmpeg wrote into the FIFO before it exited. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

  private static final int BUFFER_BYTES = 1 << 16;

  private final FfmpegSupervisor supervisor;

  JoinLoudnessMeter(FfmpegSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  /**
   * The join's loudness before any gain, keeping {@code excerpts} of it (in the {@link
   * JoinCommand#firstPassLayout}'s channels) as it passes, and the whole of it in {@code keep}
   * unless that is null; empty when this host cannot make a FIFO, and the caller meters with
   * FFmpeg.
   */
  Optional<LoudnessSummary> measure(
      JobWorkDir dir,
      JoinCommand command,
      Encoding encoding,
      Duration stallLimit,
      PhaseProgress progress,
      ProgrammeExcerpts excerpts,
      Path keep)
      throws IOException, InterruptedException {
    String jobId = dir.jobId();
    Path fifo = dir.root().resolve("joined.meter.wav");
    if (!NamedPipe.make(fifo)) {
      log.info("job {}: no FIFO for the Java meter; FFmpeg's meter measures the join", jobId);
      return Optional.empty();
    }
    long started = System.nanoTime();
    CompletableFuture<ChunkLoudness> reading = new CompletableFuture<>();
    Thread reader =
        new Thread(
            ActivityLogContext.carry(
                () -> {
                  try (InputStream in =
                      new BufferedInputStream(new FileInputStream(fifo.toFile()), BUFFER_BYTES)) {
                    ChunkLoudness loudness =
                        ChunkLoudnessMeter.measureWav(
                            in, ChunkSpan.wholeProgramme(), excerpts::add);
                    // Closed before the reading is out: the probe reads the excerpts next.
                    excerpts.close();
                    reading.complete(loudness);
                  } catch (Throwable e) {
                    excerpts.close();
                    reading.completeExceptionally(e);
                  }
                }),
            "join-meter-" + jobId);
    reader.setDaemon(true);
    reader.start();
    try {
      FfmpegExit exit =
          supervisor.run(
              jobId,
              command.meteredPcm(encoding, fifo, keep),
              fifo,
              stallLimit,
              p -> progress.heartbeat(new ConcatHeartbeat("meter", 0, p.outTimeMicros())));
      if (!exit.succeeded()) {
        if (reading.isCompletedExceptionally()) {
          throw meterFailed(jobId, reading);
        }
        throw exit.toFailure(jobId + " (measuring loudness)");
      }
      ChunkLoudness loudness = reading.get(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
      log.info(
          "job {}: metered the join in {} s",
          jobId,
          String.format(Locale.ROOT, "%.2f", (System.nanoTime() - started) / 1e9));
      return Optional.of(
          command
              .firstPassLayout(encoding)
              .asOutput(
                  new LoudnessSummary(
                      Math.max(LinearGain.SILENCE_LUFS, loudness.integratedLufs()),
                      loudness.truePeakDb(),
                      loudness.loudnessRangeLu())));
    } catch (ExecutionException e) {
      throw meterFailed(jobId, reading);
    } catch (TimeoutException e) {
      throw new IOException(
          FailureSubject.job(jobId)
              .describe(
                  "the loudness meter had not read the join "
                      + DRAIN_LIMIT.toSeconds()
                      + " s after FFmpeg finished it"));
    } finally {
      release(reader, fifo);
      Files.deleteIfExists(fifo);
    }
  }

  /**
   * A reader still waiting to open the FIFO (FFmpeg failed before it opened its output, or was
   * killed) is given an end of stream, so that it ends. Opened for reading and writing, a FIFO
   * never blocks on Linux, whether or not the reader is still there.
   */
  private static void release(Thread reader, Path fifo) throws InterruptedException {
    if (reader.isAlive()) {
      try (var unblock =
          FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        // Opened and closed: a waiting reader opens, then sees the end of the stream.
      } catch (IOException e) {
        log.debug("cannot open {} to release its reader: {}", fifo, e.toString());
      }
      reader.join(DRAIN_LIMIT.toMillis());
    }
  }

  private static IOException meterFailed(String jobId, CompletableFuture<ChunkLoudness> reading) {
    Throwable cause;
    try {
      reading.getNow(null);
      cause = null;
    } catch (RuntimeException e) {
      cause = e.getCause() == null ? e : e.getCause();
    }
    return new IOException(
        FailureSubject.job(jobId).describe("the loudness meter could not read the join: " + cause),
        cause);
  }
}
