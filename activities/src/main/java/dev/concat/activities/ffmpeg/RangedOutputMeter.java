package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.chunk.JoinedMp3Meter;
import dev.concat.activities.chunk.Mp3Timeline;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.loudness.ChunkLoudness;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Measures a finished MP3 in ranges on the host's free cores ({@link JoinedMp3Meter}), where
 * FFmpeg's {@code ebur128} would take one core for several times as long (measured on a stream copy
 * of 40 minutes: 10.1 s for the filter with its true peak, against a 2.5 s decode). The activity
 * thread heartbeats as ranges finish ({@link ChunkedEncodeWatch}), so a stuck range stops the
 * heartbeats.
 */
final class RangedOutputMeter {
  /**
   * Short enough that a range finishes every second or two, so the heartbeats go on; long enough
   * that each FFmpeg's start (Debian's links 215 libraries) counts little: set A's 40 minutes of
   * stream copy measured on 2 cores in 1.69-1.75 s in ranges of 5 minutes, 1.52-1.55 s in ranges of
   * 10 and 1.45-1.50 s in ranges of 20.
   */
  private static final Duration LONGEST_RANGE = Duration.ofMinutes(10);

  /** Shorter ranges would spend more on FFmpeg's start and the pre-roll than they save. */
  private static final Duration SHORTEST_RANGE = Duration.ofSeconds(30);

  /** How long a stopped measurement's threads get to end their decodes. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  private final JoinedMp3Meter meter;
  private final EncoderCores cores;
  private final ShutdownGate gate;

  RangedOutputMeter(JoinedMp3Meter meter, EncoderCores cores, ShutdownGate gate) {
    this.meter = meter;
    this.cores = cores;
    this.gate = gate;
  }

  /**
   * @param loudness the file's loudness and true peak
   * @param samples the samples it plays, as its Info frame says and the last range's decode
   *     confirmed
   */
  record Reading(ChunkLoudness loudness, long samples) {}

  /**
   * The loudness of {@code mp3}, or empty when its frames cannot be found without decoding it (no
   * Info frame, say): then only a full decode measures it.
   *
   * @throws UnusableAudioException when a range does not decode, or decodes short of its end
   */
  Optional<Reading> measure(
      String jobId, Path mp3, int sampleRate, Duration stallLimit, PhaseProgress progress)
      throws UnusableAudioException, IOException, InterruptedException {
    Optional<Mp3Timeline> found = Mp3FrameScan.timeline(mp3);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Mp3Timeline timeline = found.get();
    long rangeLength = rangeLength(timeline.samples(), sampleRate, cores.cores());
    var watch = new ChunkedEncodeWatch("measuring the output in ranges");
    watch.joined();
    CompletableFuture<ChunkLoudness> result = new CompletableFuture<>();
    Thread meters =
        new Thread(
            ActivityLogContext.carry(
                () -> {
                  try {
                    result.complete(
                        meter.measure(
                            mp3, timeline, sampleRate, rangeLength, cores, watch::measured));
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                }),
            "output-meter-" + jobId);
    meters.start();
    try {
      ChunkLoudness loudness =
          watch.await(
              jobId,
              result,
              gate,
              progress,
              seconds -> {},
              mp3.getParent(),
              mp3,
              stallLimit,
              sampleRate);
      return Optional.of(new Reading(loudness, timeline.samples()));
    } catch (IOException e) {
      if (e.getCause() != null && e.getCause().getCause() instanceof UnusableAudioException bad) {
        throw bad;
      }
      throw e;
    } finally {
      if (meters.isAlive()) {
        meters.interrupt();
        meters.join(STOP_BOUND.toMillis());
      }
    }
  }

  /** Ranges that spread the file over every core, between the shortest and longest range. */
  static long rangeLength(long samples, int sampleRate, int cores) {
    long perCore = (samples + cores - 1) / cores;
    long longest = LONGEST_RANGE.toSeconds() * sampleRate;
    long shortest = SHORTEST_RANGE.toSeconds() * sampleRate;
    return Math.max(shortest, Math.min(longest, perCore));
  }
}
