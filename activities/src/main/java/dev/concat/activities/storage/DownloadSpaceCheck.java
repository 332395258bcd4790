package dev.concat.activities.storage;

import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.workdir.DiskSpace;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.policy.PolicyChecks;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Before any GET: sizes the segments this host lacks (listings where many share a prefix, HEADs for
 * the rest), fails with {@code LimitExceeded} when the segments hold more bytes than the operator
 * allows, and with {@code InsufficientDisk} when they and the output (about the inputs' size: a
 * copy writes as much, a re-encode at podcast bit rates rarely more) do not fit in the work
 * directory's free space. A missing segment fails here too, as {@code InvalidSegment}, before a
 * long download.
 */
final class DownloadSpaceCheck {
  private final SegmentFetch fetch;
  private final SegmentListing listing;
  private final ShutdownGate gate;
  private final long pollMillis;
  private final long beatNanos;
  private final long maxInputBytes;

  /**
   * @param pollMillis how often the waiting activity thread looks at the shutdown gate
   * @param beatNanos the least time between two heartbeats while HEADs are answered
   * @param maxInputBytes the operator's ceiling on the bytes of a job's segments
   */
  DownloadSpaceCheck(
      SegmentFetch fetch,
      SegmentListing listing,
      ShutdownGate gate,
      long pollMillis,
      long beatNanos,
      long maxInputBytes) {
    this.fetch = fetch;
    this.listing = listing;
    this.gate = gate;
    this.pollMillis = pollMillis;
    this.beatNanos = beatNanos;
    this.maxInputBytes = maxInputBytes;
  }

  /** Returns what the whole job needs on this disk; the listings and HEADs run on {@code pool}. */
  long require(
      ExecutorService pool, JobWorkDir dir, List<S3Uri> segments, BitSet done, Runnable heartbeat) {
    List<Integer> lacking = new ArrayList<>();
    for (int i = done.nextClearBit(0); i < segments.size(); i = done.nextClearBit(i + 1)) {
      lacking.add(i);
    }
    Map<Integer, Long> listed =
        await(
            dir.jobId(),
            pool.submit(
                ActivityLogContext.carry(() -> listing.sizes(dir.jobId(), segments, lacking))));
    long toFetch = listed.values().stream().mapToLong(Long::longValue).sum();
    List<Future<Long>> heads = new ArrayList<>();
    for (int index : lacking) {
      if (listed.containsKey(index)) {
        continue;
      }
      S3Uri uri = segments.get(index);
      heads.add(
          pool.submit(
              ActivityLogContext.carry(
                  () ->
                      fetch.size(
                          FailureSubject.segment(dir.jobId(), index, uri),
                          uri,
                          FailureType.INVALID_SEGMENT))));
    }
    long lastBeat = System.nanoTime();
    for (Future<Long> head : heads) {
      toFetch += await(dir.jobId(), head);
      // Each answer is progress: a thousand HEADs against a slow store outlast a heartbeat timeout.
      if (System.nanoTime() - lastBeat >= beatNanos) {
        heartbeat.run();
        lastBeat = System.nanoTime();
      }
    }
    long output = toFetch + bytesOnDisk(dir, segments);
    if (output > maxInputBytes) {
      throw PolicyChecks.limitExceeded(
          dir.jobId(),
          "the segments' " + output + " bytes",
          maxInputBytes,
          PolicyChecks.MAX_INPUT_BYTES);
    }
    DiskSpace.require(
        dir,
        Math.max(0, toFetch - partialBytes(dir)) + output,
        DiskSpace.mib(toFetch)
            + " of segments still to download, about "
            + DiskSpace.mib(output)
            + " for the output");
    return 2 * output;
  }

  private <T> T await(String jobId, Future<T> task) {
    try {
      while (true) {
        gate.throwIfClosed();
        try {
          return task.get(pollMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          // Look at the gate again.
        }
      }
    } catch (ExecutionException e) {
      throw TaskFailure.unchecked(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(FailureSubject.job(jobId).describe("download interrupted"), e);
    }
  }

  /** The size of the segments already complete on disk. */
  private static long bytesOnDisk(JobWorkDir dir, List<S3Uri> segments) {
    long bytes = 0;
    for (int i = 0; i < segments.size(); i++) {
      bytes += dir.segment(i, segments.get(i).extension()).toFile().length();
    }
    return bytes;
  }

  /**
   * What partial segment files an earlier GET left: space already taken by what is still to fetch.
   */
  private static long partialBytes(JobWorkDir dir) {
    try (Stream<Path> files = Files.list(dir.segmentsDir())) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(WholeFile.PART))
          .mapToLong(f -> f.toFile().length())
          .sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
