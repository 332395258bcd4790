package dev.concat.app.it;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.testkit.AudioEncoding;
import dev.concat.testkit.Executables;
import dev.concat.testkit.SineTone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Real MP3 segments (lavfi sines, a different pitch each) and their total duration measured by
 * decoding them. Generated once under {@code target/it-audio} and shared by every test class.
 *
 * @param totalSeconds the sum of the segments' decoded durations: what the joined file must last
 */
record AudioSet(List<Path> files, double totalSeconds) {

  static synchronized AudioSet sines(int count, double seconds) {
    Path dir =
        ItPaths.audioCache().resolve(String.format(Locale.ROOT, "sine-%dx%ss", count, seconds));
    List<Path> files =
        IntStream.range(0, count)
            .mapToObj(i -> dir.resolve(String.format(Locale.ROOT, "%03d.mp3", i)))
            .toList();
    // Written last, so a set interrupted while being generated is made again.
    Path total = dir.resolve("total-seconds.txt");
    try {
      if (!Files.isRegularFile(total)) {
        Files.createDirectories(dir);
        Path ffmpeg = Executables.require("ffmpeg");
        double sum = 0;
        for (int i = 0; i < count; i++) {
          new SineTone(220 + 20 * i, seconds, 44100, 2)
              .encode(ffmpeg, AudioEncoding.mp3("128k"), files.get(i));
          sum += SampleAudio.decodedSeconds(files.get(i));
        }
        Files.writeString(total, String.format(Locale.ROOT, "%.6f%n", sum));
      }
      return new AudioSet(files, Double.parseDouble(Files.readString(total).strip()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare sample audio in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted preparing sample audio in " + dir, e);
    }
  }

  /**
   * Stores the segments under {@code prefix} in the fixture's bucket; returns their s3:// URIs in
   * order.
   */
  List<String> upload(S3Fixture s3, String prefix) {
    List<String> uris = new ArrayList<>();
    for (Path file : files) {
      uris.add(s3.put(prefix + "/" + file.getFileName(), file));
    }
    return uris;
  }
}
