package dev.concat.activities.workdir;

import dev.concat.contract.rules.JobIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The worker's work root; every job lives in {@code <root>/jobs/<jobId>}. */
public final class WorkDirectories {
  private final Path jobsRoot;

  public WorkDirectories(Path workDir) {
    this.jobsRoot = workDir.resolve("jobs");
  }

  /** The job's directory (not created). The id is checked again here because it becomes a path. */
  public JobWorkDir job(String jobId) {
    if (!JobIds.isValid(jobId)) {
      throw new IllegalArgumentException("job id '" + jobId + "' is not " + JobIds.rule());
    }
    return new JobWorkDir(jobId, jobsRoot.resolve(jobId));
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
