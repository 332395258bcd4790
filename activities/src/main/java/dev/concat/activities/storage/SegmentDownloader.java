package dev.concat.activities.storage;

import dev.concat.activities.DownloadCheckpoint;
import dev.concat.activities.DownloadResult;
import dev.concat.activities.FailureTypes;
import dev.concat.activities.S3Uri;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.workdir.JobWorkDir;
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
 * The download phase: fetches a job's segments in parallel into its work directory, skipping
 * those an earlier download on this host already completed. The activity thread only waits,
 * heartbeats (the checkpoint: which segments are on this host's disk) and checks for shutdown;
 * pool threads do the GETs.
 */
public final class SegmentDownloader {
  private static final Logger log = LoggerFactory.getLogger(SegmentDownloader.class);
  /** How often the waiting activity thread looks at the shutdown gate. */
  private static final long POLL_MILLIS = 250;

  private final SegmentFetch fetch;
  private final int parallelism;
  private final ShutdownGate gate;
  private final Duration stopGrace;
  private final String host;
  private final JobMetrics metrics;

  /**
   * @param stopGrace how long GETs in flight get to stop when the phase ends early
   * @param host this host's task queue, written into every checkpoint
   */
  public SegmentDownloader(S3Client s3, int parallelism, ShutdownGate gate, Duration stopGrace, String host,
      JobMetrics metrics) {
    this.fetch = new SegmentFetch(s3);
    this.parallelism = Math.max(1, parallelism);
    this.gate = gate;
    this.stopGrace = stopGrace;
    this.host = host;
    this.metrics = metrics;
  }

  public DownloadResult download(JobWorkDir dir, List<S3Uri> segments, DownloadCheckpoint previous,
      PhaseProgress progress) {
    long started = System.nanoTime();
    boolean kept = dir.prepare(segments.stream().map(S3Uri::toString).toList());
    BitSet done = kept ? present(dir, segments) : new BitSet();
    boolean ours = host.equals(previous.host());
    if (!ours && !previous.completed().isEmpty()) {
      log.info("job {}: the last checkpoint ({} segments) is on {}, not this host; fetching what this host lacks",
          dir.jobId(), checkpointed(dir.jobId(), previous), previous.host());
    }
    if (!done.isEmpty()) {
      log.info("job {}: resuming download, {} of {} segments already on disk ({} in the checkpoint): {} GETs saved",
          dir.jobId(), done.cardinality(), segments.size(), ours ? checkpointed(dir.jobId(), previous) : 0,
          done.cardinality());
    }
    double earlierSeconds = ours ? previous.seconds() : 0;
    fetchMissing(dir, segments, done, earlierSeconds, started, progress);
    double seconds = earlierSeconds + (System.nanoTime() - started) / 1e9;
    long bytes = totalBytes(dir, segments);
    log.info("job {}: downloaded {} segments, {} bytes, {} s", dir.jobId(), segments.size(), bytes,
        String.format("%.1f", seconds));
    return new DownloadResult(segments.size(), bytes, seconds);
  }

  /** Fails the job at once, before any segment is fetched, when its cover image does not exist. */
  public void requireCover(String jobId, S3Uri cover) {
    fetch.requireExists(coverName(jobId, cover), cover, FailureTypes.INVALID_COVER);
  }

  /**
   * Fetches the episode's cover image next to the segments, unless an earlier attempt on this
   * host already did. Returns its size in bytes.
   */
  public long fetchCover(JobWorkDir dir, S3Uri cover) {
    Path target = dir.cover(cover.extension());
    if (Files.isRegularFile(target)) {
      return target.toFile().length();
    }
    return fetch.fetch(coverName(dir.jobId(), cover), cover, target, FailureTypes.INVALID_COVER);
  }

  private static String coverName(String jobId, S3Uri cover) {
    return "job " + jobId + ": cover image " + cover;
  }

  /**
   * Segments already on disk. A segment file only exists once complete (it is renamed into
   * place), so each one is a GET saved: those in the checkpoint, and any finished after the
   * checkpoint's last heartbeat.
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

  private void fetchMissing(JobWorkDir dir, List<S3Uri> segments, BitSet done, double earlierSeconds,
      long started, PhaseProgress progress) {
    ExecutorService pool = newPool(dir.jobId());
    try {
      CompletionService<Integer> completions = new ExecutorCompletionService<>(pool);
      int pending = submitMissing(completions, dir, segments, done);
      while (pending > 0) {
        Future<Integer> next = completions.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        gate.throwIfClosed();
        if (next != null) {
          pending--;
          done.set(next.get());
          double seconds = earlierSeconds + (System.nanoTime() - started) / 1e9;
          progress.advanced(done.cardinality(), new DownloadCheckpoint(host, IndexRanges.format(done), seconds));
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException("job " + dir.jobId() + ": download interrupted", e);
    } finally {
      stop(pool);
    }
  }

  /** Queues a GET for every segment not yet done; returns how many. */
  private int submitMissing(CompletionService<Integer> completions, JobWorkDir dir, List<S3Uri> segments,
      BitSet done) {
    int submitted = 0;
    for (int i = done.nextClearBit(0); i < segments.size(); i = done.nextClearBit(i + 1)) {
      int index = i;
      S3Uri uri = segments.get(i);
      completions.submit(ActivityLogContext.carry(() -> {
        try (var segment = MDC.putCloseable(ActivityLogContext.SEGMENT, String.valueOf(index))) {
          long bytes = fetch.fetch(dir.jobId(), index, uri, dir.segment(index, uri.extension()));
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
    return Executors.newFixedThreadPool(parallelism, r -> {
      var thread = new Thread(r, "download-" + jobId + "-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Stops outstanding GETs and waits for them, so nothing writes into a directory being deleted. */
  private void stop(ExecutorService pool) {
    pool.shutdownNow();
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
        throw new UncheckedIOException("job " + dir.jobId() + ": segment " + i + " vanished after download", e);
      }
    }
    return bytes;
  }
}
