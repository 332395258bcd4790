package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one FFmpeg process on the calling thread and watches it until it exits: reports progress
 * when output time or output bytes advance, kills it when it stalls, when the worker shuts down, or
 * when the progress consumer throws (Temporal cancelled the activity). Whatever way the run ends,
 * no FFmpeg of it is left running.
 */
final class FfmpegSupervisor {
  /** How often the activity thread looks at FFmpeg; well below any sensible heartbeat timeout. */
  private static final long POLL_MILLIS = 200;

  private final ProcessLauncher launcher;
  private final ShutdownGate gate;
  private final Duration killGrace;
  private final JobMetrics metrics;

  FfmpegSupervisor(
      ProcessLauncher launcher, ShutdownGate gate, Duration killGrace, JobMetrics metrics) {
    this.launcher = launcher;
    this.gate = gate;
    this.killGrace = killGrace;
    this.metrics = metrics;
  }

  /**
   * Runs {@code command}, which writes {@code output}. {@code progressed} is called on this thread
   * whenever the output advanced; an exception from it kills FFmpeg and propagates.
   */
  FfmpegExit run(
      String jobId,
      List<String> command,
      Path output,
      Duration stallLimit,
      Consumer<FfmpegProgress> progressed)
      throws IOException, InterruptedException {
    Process process = launcher.start(command);
    long started = System.nanoTime();
    metrics.ffmpegStarted();
    try {
      var latest = new AtomicReference<FfmpegProgress>();
      Thread progressReader = readProgress(process, latest, "ffmpeg-progress-" + jobId);
      var stderr = new StreamTail(process.getErrorStream(), "ffmpeg-stderr-" + jobId);
      long reportedTime = watch(jobId, process, output, stallLimit, latest, progressed);
      progressReader.join(2_000);
      FfmpegProgress last = latest.get();
      if (last != null && last.outTimeMicros() > reportedTime) {
        progressed.accept(last);
      }
      return new FfmpegExit(process.exitValue(), stderr.text());
    } finally {
      if (process.isAlive()) {
        ProcessTree.kill(process.toHandle(), killGrace);
      }
      metrics.ffmpegFinished(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Returns the output time last passed to {@code progressed}. */
  private long watch(
      String jobId,
      Process process,
      Path output,
      Duration stallLimit,
      AtomicReference<FfmpegProgress> latest,
      Consumer<FfmpegProgress> progressed)
      throws InterruptedException {
    long bestTime = -1;
    long bestSize = -1;
    long lastAdvance = System.nanoTime();
    while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      gate.throwIfClosed();
      FfmpegProgress now = latest.get();
      long size = sizeOf(output);
      boolean timeAdvanced = now != null && now.outTimeMicros() > bestTime;
      if (timeAdvanced || size > bestSize) {
        bestTime = now == null ? bestTime : Math.max(bestTime, now.outTimeMicros());
        bestSize = Math.max(bestSize, size);
        lastAdvance = System.nanoTime();
        if (now != null) {
          progressed.accept(now);
        }
      } else if (System.nanoTime() - lastAdvance > stallLimit.toNanos()) {
        ProcessTree.kill(process.toHandle(), killGrace);
        throw FailureType.FFMPEG_STALLED.failure(
            FailureSubject.job(jobId)
                .describe(
                    "FFmpeg made no progress for "
                        + stallLimit.toSeconds()
                        + " s (output at "
                        + bestTime / 1_000_000
                        + " s, "
                        + bestSize
                        + " bytes) and was killed"));
      }
    }
    return bestTime;
  }

  private static Thread readProgress(
      Process process, AtomicReference<FfmpegProgress> latest, String name) {
    var thread =
        new Thread(
            () -> {
              var parser = new FfmpegProgressParser();
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  parser.accept(line).ifPresent(latest::set);
                }
              } catch (IOException e) {
                // FFmpeg was killed and the pipe closed; the last progress read stays valid.
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
