package dev.concat.activities.workdir;

import dev.concat.contract.FailureSubject;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The free space of the file system a job's work directory is on. */
public final class DiskSpace {

  /**
   * Bytes this process may still write on the file system holding {@code path} (or its nearest
   * existing parent).
   */
  public static long usable(Path path) {
    try {
      return store(path).getUsableSpace();
    } catch (IOException e) {
      throw LocalDiskFault.writing("checking free space", path, 0, e);
    }
  }

  /**
   * Bytes {@code dir}'s job may still write, once the host's kept chunks ({@link ChunkCache}) have
   * made room for {@code wantedBytes} where they could: a running job's needs come before a later
   * job's chance of finding its chunks.
   */
  public static long usableFor(JobWorkDir dir, long wantedBytes) {
    long usable = usable(dir.root());
    if (usable < wantedBytes && dir.chunkCache().release(wantedBytes - usable) > 0) {
      usable = usable(dir.root());
    }
    return usable;
  }

  /**
   * Fails with {@code InsufficientDisk} when {@code dir}'s file system has less than {@code
   * neededBytes} free, even after evicting the host's kept chunks ({@link ChunkCache}); {@code
   * what} names the job and {@code need} says what the bytes are for.
   */
  public static void require(JobWorkDir dir, long neededBytes, String need) {
    long usable = usableFor(dir, neededBytes);
    if (usable < neededBytes) {
      throw LocalDiskFault.insufficient(
          FailureSubject.job(dir.jobId())
              .describe(
                  "not enough free disk in "
                      + dir.root()
                      + ": "
                      + mib(usable)
                      + " free, the job needs "
                      + mib(neededBytes)
                      + " ("
                      + need
                      + ")"),
          neededBytes);
    }
  }

  /** The free and total space where {@code path} is, for messages. */
  static String describe(Path path) {
    try {
      FileStore store = store(path);
      return mib(store.getUsableSpace()) + " free of " + mib(store.getTotalSpace());
    } catch (IOException e) {
      return "free space unknown";
    }
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static FileStore store(Path path) throws IOException {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return Files.getFileStore(existing == null ? path.toAbsolutePath().getRoot() : existing);
  }

  private DiskSpace() {}
}
