package dev.concat.activities.storage;

import dev.concat.activities.DownloadResult;
import dev.concat.activities.S3Uri;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.workdir.JobWorkDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * those a previous attempt on this host already completed (the checkpoint). The activity thread
 * only waits, heartbeats and checks for shutdown; pool threads do the GETs.
 */
public final class SegmentDownloader {
  private static final Logger log = LoggerFactory.getLogger(SegmentDownloader.class);
  /** How often the waiting activity thread looks at the shutdown gate. */
  private static final long POLL_MILLIS = 250;

  private final SegmentFetch fetch;
  private final int parallelism;
  private final ShutdownGate gate;
  private final Duration stopGrace;

  /** {@code stopGrace}: how long GETs in flight get to stop when the phase ends early. */
  public SegmentDownloader(S3Client s3, int parallelism, ShutdownGate gate, Duration stopGrace) {
    this.fetch = new SegmentFetch(s3);
    this.parallelism = Math.max(1, parallelism);
    this.gate = gate;
    this.stopGrace = stopGrace;
  }

  public DownloadResult download(JobWorkDir dir, List<S3Uri> segments, DownloadCheckpoint previous,
      PhaseProgress progress) {
    long started = System.nanoTime();
    boolean kept = dir.prepare(segments.stream().map(S3Uri::toString).toList());
    BitSet done = kept ? present(dir, segments) : new BitSet();
    if (!done.isEmpty()) {
      log.info("job {}: resuming download, {} of {} segments already on disk ({} in this activity's "
          + "checkpoint): {} GETs saved", dir.jobId(), done.cardinality(), segments.size(),
          checkpointed(dir.jobId(), previous), done.cardinality());
    }
    fetchMissing(dir, segments, done, previous.seconds(), started, progress);
    double seconds = previous.seconds() + (System.nanoTime() - started) / 1e9;
    long bytes = totalBytes(dir, segments);
    log.info("job {}: downloaded {} segments, {} bytes, {} s", dir.jobId(), segments.size(), bytes,
        String.format("%.1f", seconds));
    return new DownloadResult(segments.size(), bytes, seconds);
  }

  /**
   * Segments already on disk. A segment file only exists once complete (it is renamed into
   * place), so each one is a GET saved: those of this activity's earlier attempts (its
   * checkpoint) and those of an earlier run of the job's sequence on this host.
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
          progress.advanced(done.cardinality(), new DownloadCheckpoint(IndexRanges.format(done), seconds));
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
          fetch.fetch(dir.jobId(), index, uri, dir.segment(index, uri.extension()));
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
