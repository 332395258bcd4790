package dev.concat.bench;

import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.progress.ProgressView;
import dev.concat.testkit.AudioEncoding;
import dev.concat.testkit.SineTone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Data set C: segments in every input format concat accepts, at sample rates from 8 to 48 kHz, mono
 * and stereo, so concat must decode each to PCM before joining. Segment i takes format i mod 5,
 * rate i mod 7 and mono or stereo by i / 5, so every format appears in both layouts.
 */
final class MixedSegments {
  private static final String COMPLETE_MARKER = ".complete";
  private static final int[] RATES = {8000, 11025, 16000, 22050, 32000, 44100, 48000};

  private static final List<AudioEncoding> FORMATS =
      List.of(
          AudioEncoding.wav(),
          AudioEncoding.flac(),
          AudioEncoding.aac("96k"),
          AudioEncoding.vorbis(4),
          AudioEncoding.mp3("64k"));

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

  private static AudioEncoding format(int index) {
    return FORMATS.get(index % FORMATS.size());
  }

  private static void encode(FfmpegBinaries ffmpeg, Path target, int index, int seconds)
      throws IOException, InterruptedException {
    int rate = RATES[index % RATES.length];
    int channels = (index / FORMATS.size()) % 2 == 0 ? 1 : 2;
    new SineTone(200 + 40 * index, seconds, rate, channels)
        .encode(ffmpeg.ffmpeg(), format(index), target);
  }

  private MixedSegments() {}
}
