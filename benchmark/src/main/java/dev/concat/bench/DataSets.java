package dev.concat.bench;

import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.embedded.SampleSegments;
import dev.concat.app.progress.ProgressView;
import dev.concat.contract.OutputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's data sets, generated with FFmpeg on first use and cached under the bench data
 * folder (one folder per set and size), so only the first run pays for them.
 */
final class DataSets {
  /** The sets the results are reported for. */
  private static final List<Size> FULL =
      List.of(
          new Size("A", 100, 24),
          new Size("B", 1000, 3),
          new Size("C", 30, 20),
          new Size("K", 120, 60),
          new Size("S", 120, 60),
          new Size("T", 3, 3),
          new Size("H", 600, 60),
          new Size("M", 100, 24));

  /** Tiny sets for development and the end-to-end test: the same shapes, seconds of audio. */
  private static final List<Size> QUICK =
      List.of(
          new Size("A", 3, 2),
          new Size("B", 20, 1),
          new Size("C", 5, 2),
          new Size("K", 4, 30),
          new Size("S", 4, 30),
          new Size("T", 3, 1),
          new Size("H", 6, 10),
          new Size("M", 3, 2));

  private record Size(String name, int count, int seconds) {}

  private final FfmpegBinaries ffmpeg;
  private final Path root;
  private final boolean quick;

  DataSets(FfmpegBinaries ffmpeg, Path root, boolean quick) {
    this.ffmpeg = ffmpeg;
    this.root = root;
    this.quick = quick;
  }

  static boolean known(String name) {
    return FULL.stream().anyMatch(size -> size.name().equals(name));
  }

  DataSet ensure(String name, ProgressView view) throws IOException, InterruptedException {
    Size size =
        (quick ? QUICK : FULL)
            .stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown data set '"
                                + name
                                + "'; there are A, B, C, H, K, M, S and T"));
    double audio = (double) size.count() * size.seconds();
    if (name.equals("C")) {
      List<Path> files =
          MixedSegments.ensure(ffmpeg, root.resolve("C"), size.count(), size.seconds(), view);
      return new DataSet(
          name,
          String.format(
              Locale.ROOT,
              "%d segments of %d s in mixed formats (WAV, FLAC, M4A/AAC, OGG/Vorbis, MP3; 8-48 kHz; mono and stereo)",
              size.count(),
              size.seconds()),
          files,
          audio,
          true,
          OutputFormat.MP3);
    }
    // M joins set A's segments (the same files) into an M4A.
    boolean m4a = name.equals("M");
    List<Path> files =
        SampleSegments.ensure(
            ffmpeg, root.resolve(m4a ? "A" : name), size.count(), size.seconds(), view);
    return new DataSet(
        name,
        String.format(
            Locale.ROOT,
            "%d MP3 segments of %d s (96 kb/s, 44.1 kHz mono sine tones)%s",
            size.count(),
            size.seconds(),
            m4a ? ", joined into an M4A (AAC 128 kb/s, 44.1 kHz stereo: the defaults)" : ""),
        files,
        audio,
        false,
        m4a ? OutputFormat.M4A : OutputFormat.MP3);
  }
}
