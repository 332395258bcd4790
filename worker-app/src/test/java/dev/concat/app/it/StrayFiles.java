package dev.concat.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds files a worker may have written where it must not: anywhere but its jobs directory. */
final class StrayFiles {

  /** Every path under {@code root}, relative to it, except what lies inside {@code allowed}. */
  static Set<String> outside(Path root, Path allowed) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> !p.startsWith(allowed))
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot list " + root, e);
    }
  }

  /**
   * Files or directories whose name contains {@code marker}, at most {@code depth} levels under
   * {@code root}. Entries that vanish while being looked at (other tests' temporary files) are
   * skipped.
   */
  static List<Path> named(String marker, Path root, int depth) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          Set.of(),
          depth,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              check(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              check(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              check(file);
              return FileVisitResult.CONTINUE;
            }

            private void check(Path path) {
              if (path.getFileName() != null && path.getFileName().toString().contains(marker)) {
                found.add(path);
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search " + root, e);
    }
    return found;
  }

  private StrayFiles() {}
}
