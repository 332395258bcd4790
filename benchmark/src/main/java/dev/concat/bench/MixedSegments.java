package dev.concat.bench;

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
import java.util.concurrent.TimeUnit;

/**
 * Data set C: segments in every input format concat accepts, at sample rates from 8 to 48 kHz, mono
 * and stereo, so concat must decode each to PCM before joining. Segment i takes format i mod 5,
 * rate i mod 7 and mono or stereo by i / 5, so every format appears in both layouts.
 */
final class MixedSegments {
  private static final String COMPLETE_MARKER = ".complete";
  private static final int[] RATES = {8000, 11025, 16000, 22050, 32000, 44100, 48000};

  private record Format(String extension, List<String> codec) {}

  private static final List<Format> FORMATS =
      List.of(
          new Format("wav", List.of("-c:a", "pcm_s16le")),
          new Format("flac", List.of("-c:a", "flac")),
          new Format("m4a", List.of("-c:a", "aac", "-b:a", "96k")),
          new Format("ogg", List.of("-c:a", "libvorbis", "-q:a", "4")),
          new Format("mp3", List.of("-c:a", "libmp3lame", "-b:a", "64k")));

  static List<Path> ensure(
      FfmpegBinaries ffmpeg, Path root, int count, int seconds, ProgressView view)
      throws IOException, InterruptedException {
    Path dir = root.resolve(count + "x" + seconds + "s");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(
          dir.resolve(String.format(Locale.ROOT, "segment-%04d.%s", i, format(i).extension())));
    }
    if (Files.exists(dir.resolve(COMPLETE_MARKER))) {
      view.show("mixed-format segments (cached)", count, count);
      return files;
    }
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      view.show("generating mixed-format segments", i, count);
      encode(ffmpeg, files.get(i), i, seconds);
    }
    view.show("generating mixed-format segments", count, count);
    Files.writeString(dir.resolve(COMPLETE_MARKER), "", StandardCharsets.UTF_8);
    return files;
  }

  private static Format format(int index) {
    return FORMATS.get(index % FORMATS.size());
  }

  private static void encode(FfmpegBinaries ffmpeg, Path target, int index, int seconds)
      throws IOException, InterruptedException {
    Format format = format(index);
    int rate = RATES[index % RATES.length];
    int channels = (index / FORMATS.size()) % 2 == 0 ? 1 : 2;
    // The partial name keeps the extension, from which FFmpeg picks the container.
    Path partial = target.resolveSibling("partial-" + target.getFileName());
    List<String> command =
        new ArrayList<>(
            List.of(
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
                    Locale.ROOT,
                    "sine=frequency=%d:sample_rate=%d:duration=%d",
                    200 + 40 * index,
                    rate,
                    seconds),
                "-ac",
                String.valueOf(channels)));
    command.addAll(format.codec());
    command.add(partial.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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

  private MixedSegments() {}
}
