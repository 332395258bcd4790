package dev.concat.activities.workdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written under a name of its own beside it ({@link #inProgress}) and renamed into place
 * once complete: a reader, or the next attempt after a crash, finds it whole or not at all, and
 * what a stopped writer left is recognisable by its suffix.
 */
public final class WholeFile {
  /** The suffix of a file still being written. */
  public static final String PART = ".part";

  /** Writes a file's content to the path it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path part) throws IOException;
  }

  private WholeFile() {}

  /** Where {@code file} is written before it is complete. */
  public static Path inProgress(Path file) {
    return file.resolveSibling(file.getFileName() + PART);
  }

  /** Renames what was written at {@link #inProgress}{@code (file)} to {@code file}. */
  public static void finish(Path file) throws IOException {
    Files.move(
        inProgress(file),
        file,
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes {@code file} whole or not at all. */
  public static void write(Path file, Content content) throws IOException {
    content.writeTo(inProgress(file));
    finish(file);
  }
}
