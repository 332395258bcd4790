package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.testing.GeneratedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the wall time of one FFmpeg pass against chunked encodes of the same WAV, as bench set A
 * encodes it (40 min, 44.1 kHz mono, 96 kb/s). A program, not a test: on a shared machine the
 * numbers are indicative only.
 *
 * <p>Arguments (all optional): minutes of audio, chunk seconds, encoders at once.
 */
public final class ChunkedMp3Bench {
  private static final int RATE = 44_100;
  private static final int KBPS = 96;

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 40;
    int chunkSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    int encoders = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path dir = Files.createTempDirectory("chunked-mp3-bench");
    try {
      Path wav =
          GeneratedAudio.make(
              GeneratedAudio.sine(dir.resolve("source.wav"), minutes * 60, 440, RATE, 1));
      double audioSeconds = minutes * 60;
      System.out.printf(
          Locale.ROOT,
          "%.0f min, %d Hz mono, %d kb/s, chunks of %d s; %d cores%n",
          minutes,
          RATE,
          KBPS,
          chunkSeconds,
          Runtime.getRuntime().availableProcessors());

      long start = System.nanoTime();
      // Not through the tests' Command: it gives up after a minute.
      Process onePass =
          new ProcessBuilder(
                  "ffmpeg",
                  "-nostdin",
                  "-y",
                  "-loglevel",
                  "error",
                  "-i",
                  wav.toString(),
                  "-c:a",
                  "libmp3lame",
                  "-b:a",
                  KBPS + "k",
                  dir.resolve("one-pass.mp3").toString())
              .inheritIO()
              .start();
      if (onePass.waitFor() != 0) {
        throw new IllegalStateException("the one-pass encode failed");
      }
      report("one pass (one FFmpeg)", start, audioSeconds);

      for (BitReservoir reservoir : BitReservoir.values()) {
        for (int n : encoders == 1 ? new int[] {1} : new int[] {1, encoders}) {
          var join =
              new ChunkedMp3Join(
                  Path.of("ffmpeg"),
                  new ProcessLauncher(Map.of()),
                  new ChunkedMp3Join.Settings(
                      KBPS, Duration.ofSeconds(chunkSeconds), n, reservoir));
          start = System.nanoTime();
          ChunkedMp3Join.Result result =
              join.join(wav, dir.resolve("chunked-" + reservoir + "-" + n + ".mp3"), dir);
          report(
              String.format(
                  Locale.ROOT,
                  "chunked, reservoir %s, %d chunks (%d again), %d at once",
                  reservoir,
                  result.chunks(),
                  result.reencodedChunks(),
                  n),
              start,
              audioSeconds);
        }
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  private static void report(String what, long startNanos, double audioSeconds) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%-60s %7.2f s wall  %6.0fx realtime%n",
        what,
        seconds,
        audioSeconds / seconds);
  }

  private ChunkedMp3Bench() {}
}
