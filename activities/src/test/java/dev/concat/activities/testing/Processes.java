package dev.concat.activities.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Finds processes by their command line, wherever they were re-parented to. */
public final class Processes {

  /**
   * Live processes of any parent whose arguments mention {@code fragment} (for example a work dir).
   */
  public static List<ProcessHandle> mentioning(String fragment) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(args -> Arrays.stream(args).anyMatch(a -> a.contains(fragment)))
                    .orElse(false))
        .toList();
  }

  /**
   * The FFmpeg binary itself (not a wrapper) joining or decoding {@code fragment}, waiting up to
   * {@code limit}. Those report {@code -progress}; the short FFmpeg that only describes the
   * segments first does not.
   */
  public static Optional<ProcessHandle> awaitFfmpeg(String fragment, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> ffmpeg =
          mentioning(fragment).stream()
              .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false))
              .filter(
                  p ->
                      p.info()
                          .arguments()
                          .map(args -> Arrays.asList(args).contains("-progress"))
                          .orElse(false))
              // Not the meter that reads the output through a FIFO while it is written.
              .filter(
                  p ->
                      p.info()
                          .arguments()
                          .map(args -> Arrays.stream(args).noneMatch(a -> a.endsWith(".meter")))
                          .orElse(false))
              .findFirst();
      if (ffmpeg.isPresent()) {
        return ffmpeg;
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  private Processes() {}
}
