package dev.concat.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** The complete segment files in a job's segments directory, as the downloader leaves them. */
final class SegmentFiles {

  /** Complete segments: the downloader renames a file into place only once it is whole. */
  static int count(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(".mp3")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code dir} holds at least {@code count} complete segments. */
  static void await(Path dir, int count, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (count(dir) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only " + count(dir) + " segments in " + dir + " after " + limit.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private SegmentFiles() {}
}
