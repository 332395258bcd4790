package dev.concat.app.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a program as a shell does: the first executable file of that name in the PATH's folders.
 */
public final class SearchPath {

  /**
   * {@code program} in the folders of {@code searchPath} (the PATH's value; null finds nothing).
   */
  public static Optional<Path> find(String program, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Optional<Path> found = executable(Path.of(dir, program));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** {@code candidate}, absolute, if it is an executable file. */
  static Optional<Path> executable(Path candidate) {
    return Files.isRegularFile(candidate) && Files.isExecutable(candidate)
        ? Optional.of(candidate.toAbsolutePath())
        : Optional.empty();
  }

  private SearchPath() {}
}
