package dev.concat.app.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What several hosts still hold: files under their jobs directories and processes (FFmpeg, ffprobe,
 * wrappers) naming their work directories, keyed by work directory name.
 *
 * @param waited how long it took to get here
 */
record HostLeftovers(
    Duration waited, Map<Path, List<String>> files, Map<Path, List<Orphans.Proc>> processes) {

  static HostLeftovers now(List<Path> workDirs, Duration waited) {
    Map<Path, List<String>> files = new LinkedHashMap<>();
    Map<Path, List<Orphans.Proc>> processes = new LinkedHashMap<>();
    for (Path dir : workDirs) {
      List<String> leftFiles = Orphans.leftoverFiles(dir);
      if (!leftFiles.isEmpty()) {
        files.put(dir.getFileName(), leftFiles);
      }
      List<Orphans.Proc> procs = Orphans.processes(dir);
      if (!procs.isEmpty()) {
        processes.put(dir.getFileName(), procs);
      }
    }
    return new HostLeftovers(waited, files, processes);
  }

  /**
   * Waits until the hosts hold nothing, running {@code whileWaiting} between looks; returns what is
   * still there after {@code limit}.
   */
  static HostLeftovers awaitNone(List<Path> workDirs, Duration limit, Runnable whileWaiting) {
    long start = System.nanoTime();
    HostLeftovers left = now(workDirs, Duration.ZERO);
    while (!left.none() && Reliability.since(start).compareTo(limit) < 0) {
      whileWaiting.run();
      WorkerFleet.pause(250);
      left = now(workDirs, Reliability.since(start));
    }
    return left;
  }

  int fileCount() {
    return files.values().stream().mapToInt(List::size).sum();
  }

  int processCount() {
    return processes.values().stream().mapToInt(List::size).sum();
  }

  long ffmpegCount() {
    return processes.values().stream().flatMap(List::stream).filter(Orphans.Proc::isFfmpeg).count();
  }

  boolean none() {
    return fileCount() == 0 && processCount() == 0;
  }
}
