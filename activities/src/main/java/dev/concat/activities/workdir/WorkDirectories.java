package dev.concat.activities.workdir;

import dev.concat.contract.rules.JobIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The worker's work root; every job lives in {@code <root>/jobs/<jobId>}, and the chunks kept after
 * their jobs in {@code <root>/chunk-cache} ({@link ChunkCache}).
 */
public final class WorkDirectories {
  private final Path jobsRoot;
  private final ChunkCache chunkCache;

  /** Work directories whose jobs keep no chunks after they end. */
  public WorkDirectories(Path workDir) {
    this(workDir, 0);
  }

  /**
   * @param chunkCacheBytes how much of the disk encoded chunks may keep after their jobs; 0 for
   *     none
   */
  public WorkDirectories(Path workDir, long chunkCacheBytes) {
    this.jobsRoot = workDir.resolve("jobs");
    this.chunkCache = new ChunkCache(workDir.resolve("chunk-cache"), chunkCacheBytes);
  }

  /** The job's directory (not created). The id is checked again here because it becomes a path. */
  public JobWorkDir job(String jobId) {
    if (!JobIds.isValid(jobId)) {
      throw new IllegalArgumentException("job id '" + jobId + "' is not " + JobIds.rule());
    }
    return new JobWorkDir(jobId, jobsRoot.resolve(jobId), chunkCache);
  }

  /** The chunks kept after their jobs on this host. */
  public ChunkCache chunkCache() {
    return chunkCache;
  }

  /** The names of the job directories present, for example left over by a worker that died. */
  public List<String> list() {
    if (!Files.isDirectory(jobsRoot)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(jobsRoot)) {
      return dirs.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + jobsRoot, e);
    }
  }

  /** Deletes every job directory; returns how many there were. Call it only while no job runs. */
  public int deleteAll() {
    List<String> names = list();
    for (String name : names) {
      JobWorkDir.deleteTree(jobsRoot.resolve(name));
    }
    return names.size();
  }
}
