package dev.concat.activities.storage;

import dev.concat.activities.workdir.LocalDiskFault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A download's temporary file and what it is part of: the object's ETag and length, kept in a small
 * file beside it. A later GET (after a cut link, or the next attempt on this host) appends to it
 * only if the object still has that ETag and length, so a changed object is never stitched.
 */
final class PartialFile {
  private final String what;
  private final Path file;
  private final Path validator;
  private String etag;
  private long length = -1;

  private PartialFile(String what, Path file) {
    this.what = what;
    this.file = file;
    this.validator = file.resolveSibling(file.getFileName() + ".etag");
  }

  /** The partial file at {@code file}, with the validator an earlier GET left, if any. */
  static PartialFile at(String what, Path file) {
    var partial = new PartialFile(what, file);
    try {
      List<String> lines =
          Files.isRegularFile(partial.validator)
              ? Files.readAllLines(partial.validator)
              : List.of();
      if (lines.size() == 2) {
        partial.etag = lines.get(0);
        partial.length = Long.parseLong(lines.get(1));
      }
    } catch (IOException | NumberFormatException unreadable) {
      partial.etag = null;
    }
    return partial;
  }

  Path file() {
    return file;
  }

  String etag() {
    return etag;
  }

  long length() {
    return length;
  }

  /**
   * Bytes a ranged GET can append to: 0 when there is no partial file of a known object, or it is
   * whole.
   */
  long resumableBytes() {
    try {
      if (etag == null || !Files.isRegularFile(file)) {
        return 0;
      }
      long size = Files.size(file);
      return size < length ? size : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Bytes written so far. */
  long size() {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Starts the file afresh for the object with {@code etag} and {@code length}. */
  void begin(String etag, long length) {
    discard();
    try {
      Files.writeString(validator, etag + "\n" + length + "\n", StandardCharsets.UTF_8);
      Files.createFile(file);
    } catch (IOException e) {
      throw LocalDiskFault.writing(what, file, length, e);
    }
    this.etag = etag;
    this.length = length;
  }

  /** Whether a ranged response belongs to the object this file is part of. */
  boolean sameObject(String responseEtag, long responseLength) {
    return etag != null && etag.equals(responseEtag) && length == responseLength;
  }

  /** Deletes the file and its validator. */
  void discard() {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(validator);
    } catch (IOException e) {
      throw LocalDiskFault.writing(what, file, 0, e);
    }
    etag = null;
    length = -1;
  }

  /** Renames the whole file to {@code target}, so a file under that name is always complete. */
  void complete(Path target) {
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(validator);
    } catch (IOException e) {
      throw LocalDiskFault.writing(what, target, 0, e);
    }
  }
}
