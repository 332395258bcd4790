package dev.concat.activities.storage;

import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.LocalDiskFault;
import dev.concat.contract.DownloadCheckpoint;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.policy.AllowedLocations;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The download phase: checks that the job fits on this host's disk, then fetches its segments in
 * parallel into its work directory, skipping those an earlier download on this host already
 * completed and continuing those it left partial. The activity thread only waits, heartbeats
 * (whenever bytes arrived; the details are the checkpoint), cuts GETs that went silent and checks
 * for shutdown; pool threads do the HEADs and GETs.
 */
public final class SegmentDownloader {
  private static final Logger log = LoggerFactory.getLogger(SegmentDownloader.class);

  /**
   * How often the waiting activity thread looks at the shutdown gate, the bytes and stalled GETs.
   */
  private static final long POLL_MILLIS = 250;

  /**
   * Bytes and HEAD answers heartbeat at most this often (Temporal sends at most one per 0.8
   * heartbeat timeout anyway); a download whose GETs finish faster heartbeats per segment.
   */
  private static final long BEAT_NANOS = Duration.ofSeconds(1).toNanos();

  private final SegmentFetch fetch;
  private final DownloadSpaceCheck spaceCheck;
  private final int parallelism;
  private final ShutdownGate gate;
  private final Duration stopGrace;
  private final String host;
  private final JobMetrics metrics;

  /**
   * @param stopGrace how long GETs in flight get to stop when the phase ends early
   * @param host this host's task queue, written into every checkpoint
   * @param maxInputBytes the operator's ceiling on a job's segment bytes, checked before any GET
   * @param inputs where jobs may read, which bounds the listings that size segments
   */
  public SegmentDownloader(
      S3Client s3,
      int parallelism,
      ShutdownGate gate,
      Duration stopGrace,
      String host,
      JobMetrics metrics,
      long maxInputBytes,
      AllowedLocations inputs) {
    this.fetch = new SegmentFetch(s3);
    this.spaceCheck =
        new DownloadSpaceCheck(
            fetch, new SegmentListing(s3, inputs), gate, POLL_MILLIS, BEAT_NANOS, maxInputBytes);
    this.parallelism = Math.max(1, parallelism);
    this.gate = gate;
    this.stopGrace = stopGrace;
    this.host = host;
    this.metrics = metrics;
  }

  /**
   * @param stallLimit a GET that receives nothing for this long is cut and resumed with a ranged
   *     GET (half the heartbeat timeout: the resumed GET has the other half to deliver a byte)
   */
  public DownloadResult download(
      JobWorkDir dir,
      List<S3Uri> segments,
      DownloadCheckpoint previous,
      PhaseProgress progress,
      Duration stallLimit) {
    long started = System.nanoTime();
    boolean kept = dir.prepare(segments.stream().map(S3Uri::toString).toList());
    BitSet done = kept ? present(dir, segments) : new BitSet();
    boolean ours = host.equals(previous.host());
    if (!ours && !previous.completed().isEmpty()) {
      log.info(
          "job {}: the last checkpoint ({} segments) is on {}, not this host; fetching what this host lacks",
          dir.jobId(),
          checkpointed(dir.jobId(), previous),
          previous.host());
    }
    if (!done.isEmpty()) {
      log.info(
          "job {}: resuming download, {} of {} segments already on disk ({} in the checkpoint): {} GETs saved",
          dir.jobId(),
          done.cardinality(),
          segments.size(),
          ours ? checkpointed(dir.jobId(), previous) : 0,
          done.cardinality());
    }
    double earlierSeconds = ours ? previous.seconds() : 0;
    ExecutorService pool = newPool(dir.jobId());
    var watch = new TransferWatch();
    try {
      var clock = new Clock(earlierSeconds, started);
      long jobNeeds =
          spaceCheck.require(
              pool, dir, segments, done, () -> progress.heartbeat(checkpoint(done, clock, 0)));
      try {
        fetchMissing(pool, watch, dir, segments, done, clock, progress, stallLimit);
      } catch (LocalDiskFault e) {
        // The disk filled up under the download (another job, another process): the claim on
        // this host then waits for the whole job's room, not just this segment's.
        throw e.needing(jobNeeds);
      }
    } finally {
      stop(pool, watch);
    }
    double seconds = earlierSeconds + (System.nanoTime() - started) / 1e9;
    long bytes = totalBytes(dir, segments);
    log.info(
        "job {}: downloaded {} segments, {} bytes, {} s",
        dir.jobId(),
        segments.size(),
        bytes,
        String.format("%.1f", seconds));
    return new DownloadResult(segments.size(), bytes, seconds);
  }

  /** Fails the job at once, before any segment is fetched, when its cover image does not exist. */
  public void requireCover(String jobId, S3Uri cover) {
    fetch.requireExists(FailureSubject.cover(jobId, cover), cover, FailureType.INVALID_COVER);
  }

  /**
   * Fetches the episode's cover image next to the segments, unless an earlier attempt on this host
   * already did. Returns its size in bytes.
   */
  public long fetchCover(JobWorkDir dir, S3Uri cover) {
    Path target = dir.cover(cover.extension());
    if (Files.isRegularFile(target)) {
      return target.toFile().length();
    }
    var watch = new TransferWatch();
    return fetch.fetch(
        FailureSubject.cover(dir.jobId(), cover), cover, target, FailureType.INVALID_COVER, watch);
  }

  /**
   * Segments already on disk. A segment file only exists once complete (it is renamed into place),
   * so each one is a GET saved: those in the checkpoint, and any finished after the checkpoint's
   * last heartbeat.
   */
  private static BitSet present(JobWorkDir dir, List<S3Uri> segments) {
    var present = new BitSet();
    for (int i = 0; i < segments.size(); i++) {
      if (Files.isRegularFile(dir.segment(i, segments.get(i).extension()))) {
        present.set(i);
      }
    }
    return present;
  }

  private static int checkpointed(String jobId, DownloadCheckpoint previous) {
    try {
      return IndexRanges.parse(previous.completed()).cardinality();
    } catch (IllegalArgumentException e) {
      log.warn("job {}: unreadable download checkpoint: {}", jobId, e.getMessage());
      return 0;
    }
  }

  /** When the download began, and the time earlier attempts on this host spent on it. */
  private record Clock(double earlierSeconds, long startedNanos) {
    double seconds() {
      return earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
    }
  }

  private void fetchMissing(
      ExecutorService pool,
      TransferWatch watch,
      JobWorkDir dir,
      List<S3Uri> segments,
      BitSet done,
      Clock clock,
      PhaseProgress progress,
      Duration stallLimit) {
    try {
      CompletionService<Integer> completions = new ExecutorCompletionService<>(pool);
      int pending = submitMissing(completions, watch, dir, segments, done);
      long heartbeatBytes = watch.received();
      long heartbeatNanos = System.nanoTime();
      while (pending > 0) {
        Future<Integer> next = completions.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        gate.throwIfClosed();
        for (String cut : watch.cutStalled(stallLimit)) {
          log.warn(
              "{}: no byte for {} s; the GET was cut and resumes where it stopped",
              cut,
              stallLimit.toSeconds());
        }
        long bytes = watch.received();
        if (next != null) {
          pending--;
          done.set(next.get());
          progress.advanced(done.cardinality(), checkpoint(done, clock, bytes));
          heartbeatBytes = bytes;
          heartbeatNanos = System.nanoTime();
        } else if (bytes > heartbeatBytes && System.nanoTime() - heartbeatNanos >= BEAT_NANOS) {
          // Bytes are real progress: a slow but live transfer is never taken for a dead one.
          progress.heartbeat(checkpoint(done, clock, bytes));
          heartbeatBytes = bytes;
          heartbeatNanos = System.nanoTime();
        }
      }
    } catch (ExecutionException e) {
      throw TaskFailure.unchecked(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(
          FailureSubject.job(dir.jobId()).describe("download interrupted"), e);
    }
  }

  private DownloadCheckpoint checkpoint(BitSet done, Clock clock, long bytes) {
    return new DownloadCheckpoint(host, IndexRanges.format(done), clock.seconds(), bytes);
  }

  /** Queues a GET for every segment not yet done; returns how many. */
  private int submitMissing(
      CompletionService<Integer> completions,
      TransferWatch watch,
      JobWorkDir dir,
      List<S3Uri> segments,
      BitSet done) {
    int submitted = 0;
    for (int i = done.nextClearBit(0); i < segments.size(); i = done.nextClearBit(i + 1)) {
      int index = i;
      S3Uri uri = segments.get(i);
      completions.submit(
          ActivityLogContext.carry(
              () -> {
                try (var segment =
                    MDC.putCloseable(ActivityLogContext.SEGMENT, String.valueOf(index))) {
                  long bytes =
                      fetch.fetch(
                          dir.jobId(), index, uri, dir.segment(index, uri.extension()), watch);
                  metrics.segmentDownloaded(bytes);
                  return index;
                }
              }));
      submitted++;
    }
    return submitted;
  }

  private ExecutorService newPool(String jobId) {
    var threadNumber = new AtomicInteger();
    return Executors.newFixedThreadPool(
        parallelism,
        r -> {
          var thread = new Thread(r, "download-" + jobId + "-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Stops outstanding GETs and waits for them, so nothing writes into a directory being deleted.
   */
  private void stop(ExecutorService pool, TransferWatch watch) {
    pool.shutdownNow();
    watch.close();
    try {
      pool.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long totalBytes(JobWorkDir dir, List<S3Uri> segments) {
    long bytes = 0;
    for (int i = 0; i < segments.size(); i++) {
      try {
        bytes += Files.size(dir.segment(i, segments.get(i).extension()));
      } catch (IOException e) {
        throw new UncheckedIOException(
            FailureSubject.segment(dir.jobId(), i, segments.get(i))
                .describe("vanished after download"),
            e);
      }
    }
    return bytes;
  }
}
