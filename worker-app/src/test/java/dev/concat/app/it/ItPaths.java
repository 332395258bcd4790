package dev.concat.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the integration tests find the shaded jar and keep what they leave for a reader: worker and
 * server logs, the cached sample audio, and the measured numbers.
 */
final class ItPaths {

  /**
   * worker-app's build directory: failsafe passes it; from an IDE it is found from the working
   * directory.
   */
  static Path target() {
    String configured = System.getProperty("concat.it.target");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    Path fromRoot = Path.of("worker-app", "target");
    return (Files.isDirectory(fromRoot) ? fromRoot : Path.of("target")).toAbsolutePath();
  }

  /** The jar {@code mvn package} builds; the tests run the worker from it as users do. */
  static Path jar() {
    Path jar = target().resolve("concat.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run `mvn -B verify` (or package) so the worker jar exists");
    }
    return jar;
  }

  static Path logs(Class<?> testClass) {
    return directory(target().resolve("it-logs").resolve(testClass.getSimpleName()));
  }

  /** Shared by every test class, so each sample set is generated once. */
  static Path audioCache() {
    return directory(target().resolve("it-audio"));
  }

  /** Scratch space: work directories, the slow FFmpeg wrapper, the S3 data. */
  static Path scratch(Class<?> testClass) {
    try {
      return Files.createTempDirectory(
          directory(target().resolve("it-work")), testClass.getSimpleName() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path reliabilityFile() {
    return target().resolve("reliability.txt");
  }

  private static Path directory(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private ItPaths() {}
}
