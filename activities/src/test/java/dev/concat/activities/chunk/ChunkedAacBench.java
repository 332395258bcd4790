package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.testing.GeneratedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the wall time of one FFmpeg pass to M4A, measured after, against chunked AAC encodes of
 * the same WAV, measured whole ({@link ChunkedAacJoin}): 40 minutes of speech-like pink noise, a
 * mono programme in a 44.1 kHz stereo file (as a mono recording becomes in the default stereo
 * output), 128 kb/s. A program, not a test: on a shared machine the numbers are indicative only.
 *
 * <p>Arguments (all optional): minutes of audio, chunk seconds, encoders at once.
 */
public final class ChunkedAacBench {
  private static final int RATE = 44_100;
  private static final int KBPS = 128;

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 40;
    int chunkSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int encoders = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path dir = Files.createTempDirectory("chunked-aac-bench");
    var launcher = new ProcessLauncher(Map.of());
    var meter = new ChunkLoudnessMeter(Path.of("ffmpeg"), launcher);
    try {
      Path wav =
          GeneratedAudio.make(
              new GeneratedAudio.Part(
                  dir.resolve("source.wav"),
                  "anoisesrc=r=44100:a=0.3:c=pink:seed=7:d="
                      + minutes * 60
                      + ",volume='0.2+0.8*abs(sin(t*2.1))*gt(sin(t*0.9)\\,-0.3)':eval=frame",
                  RATE,
                  2));
      long samples = (long) (minutes * 60 * RATE);
      double audioSeconds = minutes * 60;
      System.out.printf(
          Locale.ROOT,
          "%.0f min, %d Hz stereo, %d kb/s AAC, chunks of %d s; %d cores%n",
          minutes,
          RATE,
          KBPS,
          chunkSeconds,
          Runtime.getRuntime().availableProcessors());

      long start = System.nanoTime();
      Path m4a = dir.resolve("one-pass.m4a");
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
                  "aac",
                  "-b:a",
                  KBPS + "k",
                  "-movflags",
                  "+faststart",
                  m4a.toString())
              .inheritIO()
              .start();
      if (onePass.waitFor() != 0) {
        throw new IllegalStateException("the one-pass encode failed");
      }
      report("one pass (one FFmpeg)", start, audioSeconds);
      meter.measure(m4a, new ChunkSpan(0, 0, samples));
      report("one pass, then measured", start, audioSeconds);

      for (int n : encoders == 1 ? new int[] {1} : new int[] {1, encoders}) {
        var join =
            new ChunkedAacJoin(
                Path.of("ffmpeg"),
                launcher,
                new ChunkedAacJoin.Settings(KBPS, Duration.ofSeconds(chunkSeconds), n));
        start = System.nanoTime();
        ChunkedAacJoin.Result result = join.join(wav, dir.resolve("chunked-" + n + ".aac"), dir);
        report(
            String.format(
                Locale.ROOT, "chunked, %d chunks, %d at once, measured whole", result.chunks(), n),
            start,
            audioSeconds);
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

  private ChunkedAacBench() {}
}
