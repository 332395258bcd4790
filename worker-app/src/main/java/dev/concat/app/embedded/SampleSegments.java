package dev.concat.app.embedded;

import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.progress.ProgressView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sample MP3 segments for the demo: sine tones, a different pitch for each, made with FFmpeg in
 * parallel and kept per count and length so the next demo starts at once.
 */
public final class SampleSegments {
  private static final String COMPLETE_MARKER = ".complete";

  private SampleSegments() {}

  public static List<Path> ensure(
      FfmpegBinaries ffmpeg, Path root, int count, int seconds, ProgressView view)
      throws IOException, InterruptedException {
    Path dir = root.resolve(count + "x" + seconds + "s");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(dir.resolve(String.format(Locale.ROOT, "segment-%04d.mp3", i)));
    }
    if (Files.exists(dir.resolve(COMPLETE_MARKER))) {
      view.show("sample segments (cached)", count, count);
      return files;
    }
    Files.createDirectories(dir);
    generate(ffmpeg, files, seconds, view);
    Files.writeString(dir.resolve(COMPLETE_MARKER), "", StandardCharsets.UTF_8);
    return files;
  }

  private static void generate(
      FfmpegBinaries ffmpeg, List<Path> files, int seconds, ProgressView view)
      throws IOException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    AtomicInteger done = new AtomicInteger();
    view.show("generating sample segments", 0, files.size());
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        int index = i;
        tasks.add(
            pool.submit(
                () -> {
                  encode(ffmpeg, files.get(index), toneHz(index), seconds);
                  view.show("generating sample segments", done.incrementAndGet(), files.size());
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Two octaves of semitones from A3, so neighbouring segments are audibly different. */
  static double toneHz(int index) {
    return 220.0 * Math.pow(2, (index % 24) / 12.0);
  }

  private static void encode(FfmpegBinaries ffmpeg, Path target, double hz, int seconds)
      throws IOException, InterruptedException {
    Path partial = target.resolveSibling(target.getFileName() + ".part.mp3");
    Process process =
        new ProcessBuilder(
                ffmpeg.ffmpeg().toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                String.format(
                    Locale.ROOT, "sine=frequency=%.2f:sample_rate=44100:duration=%d", hz, seconds),
                "-c:a",
                "libmp3lame",
                "-b:a",
                "96k",
                partial.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60 + seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("ffmpeg did not finish generating " + target);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "ffmpeg failed generating "
              + target
              + " (exit "
              + process.exitValue()
              + "): "
              + output.strip());
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
