package dev.concat.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The whole files in a job's work directory: the downloader's segments and the chunked encode's
 * chunks are renamed into place only once complete, and its PCM decode gets a marker file then.
 */
final class WholeFiles {

  /** Files in {@code dir} whose names end in {@code suffix}. */
  static int count(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code dir} holds at least {@code count} files whose names end in {@code suffix},
   * and returns how many it holds then.
   */
  static int await(Path dir, String suffix, int count, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    int whole;
    while ((whole = count(dir, suffix)) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only "
                + whole
                + " files *"
                + suffix
                + " in "
                + dir
                + " after "
                + limit.toSeconds()
                + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return whole;
  }

  private WholeFiles() {}
}
