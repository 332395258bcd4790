package dev.concat.activities.workdir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded chunks kept on this host after their job ended, so that a later job with a chunk of the
 * same input and settings (the same episode submitted again with one segment replaced, say) links
 * it instead of encoding it again. A chunk file's name is a digest of the PCM its encoder read, its
 * place on the grid and the encoder's settings, so a name found here is that chunk, whichever job
 * encoded it; files named after a chunk's (its measurement) are kept and evicted with it.
 *
 * <p>Bounded: past its budget the least recently used chunks go, and a job that lacks disk takes
 * the room the cache holds before its disk checks fail ({@link DiskSpace#usableFor}). A budget of 0
 * keeps nothing. The name says nothing of FFmpeg's build, so a worker starts with an empty cache
 * ({@link #clear}): a deploy may bring another build, whose chunks must not meet these in one file.
 */
public final class ChunkCache {
  private static final Logger log = LoggerFactory.getLogger(ChunkCache.class);

  /** A cache that keeps nothing and has no directory. */
  public static final ChunkCache NONE = new ChunkCache(null, 0);

  private final Path dir;
  private final long budgetBytes;

  public ChunkCache(Path dir, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("a cache budget of at least 0, not " + budgetBytes);
    }
    this.dir = dir;
    this.budgetBytes = budgetBytes;
  }

  /**
   * Links the kept file of {@code file}'s name to {@code file}, if the cache holds one and {@code
   * file} does not exist; the kept file counts as just used.
   *
   * @return whether {@code file} now exists because of the cache
   */
  public boolean restore(Path file) {
    if (budgetBytes == 0) {
      return false;
    }
    Path kept = dir.resolve(file.getFileName());
    if (!Files.isRegularFile(kept) || Files.exists(file)) {
      return false;
    }
    try {
      try {
        Files.createLink(file, kept);
      } catch (UnsupportedOperationException | FileSystemException noLink) {
        // Copied under a temporary name: a file under a chunk's name is always whole.
        Files.copy(kept, WholeFile.inProgress(file), StandardCopyOption.REPLACE_EXISTING);
        WholeFile.finish(file);
      }
      Files.setLastModifiedTime(kept, FileTime.fromMillis(System.currentTimeMillis()));
      return true;
    } catch (IOException evictedMeanwhile) {
      return false;
    }
  }

  /**
   * Moves {@code file} into the cache (or deletes it when the cache keeps nothing). A file the
   * cache cannot take is deleted: the cache is a saving, never a reason to fail a job.
   */
  public void keep(Path file) throws IOException {
    if (budgetBytes > 0) {
      try {
        Files.createDirectories(dir);
        Path kept = dir.resolve(file.getFileName());
        Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // A file linked from the cache is the kept one already: the rename leaves it in place.
        Files.deleteIfExists(file);
        Files.setLastModifiedTime(kept, FileTime.fromMillis(System.currentTimeMillis()));
        return;
      } catch (IOException e) {
        log.debug("could not keep {} in the chunk cache: {}", file, e.toString());
      }
    }
    Files.deleteIfExists(file);
  }

  /** Evicts every kept chunk. */
  public void clear() {
    release(Long.MAX_VALUE);
  }

  /** Evicts the least recently used chunks until the cache is within its budget. */
  public void trim() {
    long over = bytes() - budgetBytes;
    if (over > 0) {
      release(over);
    }
  }

  /**
   * Evicts the least recently used chunks until {@code bytes} are freed or the cache is empty.
   *
   * @return the bytes freed
   */
  public long release(long bytes) {
    long freed = 0;
    for (Entry entry : entries()) {
      if (freed >= bytes) {
        break;
      }
      for (Path file : entry.files()) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          log.debug("could not evict {} from the chunk cache: {}", file, e.toString());
        }
      }
      freed += entry.bytes();
    }
    return freed;
  }

  /** The bytes the cache holds now. */
  public long bytes() {
    return entries().stream().mapToLong(Entry::bytes).sum();
  }

  /** A chunk and the files named after it, used last at {@code usedMillis}. */
  private record Entry(List<Path> files, long bytes, long usedMillis) {}

  /** The cache's chunks, least recently used first; none when it cannot be listed. */
  private List<Entry> entries() {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    Map<String, List<Path>> byChunk = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        byChunk
            .computeIfAbsent(dot < 0 ? name : name.substring(0, dot), k -> new ArrayList<>())
            .add(file);
      }
    } catch (IOException e) {
      log.warn("cannot list the chunk cache {}: {}", dir, e.toString());
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    for (List<Path> files : byChunk.values()) {
      long bytes = 0;
      long used = 0;
      for (Path file : files) {
        try {
          bytes += Files.size(file);
          used = Math.max(used, Files.getLastModifiedTime(file).toMillis());
        } catch (IOException evictedMeanwhile) {
          // Counted as nothing: another job's eviction took it.
        }
      }
      entries.add(new Entry(files, bytes, used));
    }
    entries.sort(Comparator.comparingLong(Entry::usedMillis));
    return entries;
  }
}
