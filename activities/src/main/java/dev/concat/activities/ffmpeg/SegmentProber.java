package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.ffmpeg.FfmpegInputDump.Entry;
import dev.concat.activities.ffmpeg.FfmpegInputDump.Unusable;
import dev.concat.activities.ffmpeg.FfmpegInputDump.Usable;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Probes every downloaded segment and fails the job with {@code InvalidSegment} naming the first
 * segment that holds no usable audio. One FFmpeg process describes a batch of segments (see {@link
 * FfmpegInputDump}), two batches at a time.
 */
final class SegmentProber {
  /** Inputs per FFmpeg process: each holds a file open, far below the usual 1,024 descriptors. */
  private static final int BATCH = 100;

  /** Opening a hundred files takes well under a second; a minute means a hostile file hangs it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final Duration KILL_GRACE = Duration.ofSeconds(1);

  private final Path ffmpeg;
  private final ProcessLauncher launcher;

  SegmentProber(Path ffmpeg, ProcessLauncher launcher) {
    this.ffmpeg = ffmpeg;
    this.launcher = launcher;
  }

  /**
   * Probes all files; {@code probed} is called on this thread with the count done so far each time
   * it grows, so a long list keeps the activity heartbeating.
   */
  List<ProbedSegment> probeAll(String jobId, List<Segment> segments, IntConsumer probed) {
    int batches = (segments.size() + BATCH - 1) / BATCH;
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(batches, 2)),
            r -> {
              var thread = new Thread(r, "probe-" + jobId);
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<List<ProbedSegment>>> work = new ArrayList<>();
      for (int from = 0; from < segments.size(); from += BATCH) {
        List<Segment> batch = segments.subList(from, Math.min(segments.size(), from + BATCH));
        work.add(pool.submit(ActivityLogContext.carry(() -> probeBatch(jobId, batch))));
      }
      List<ProbedSegment> results = new ArrayList<>();
      for (Future<List<ProbedSegment>> batch : work) {
        results.addAll(batch.get());
        probed.accept(results.size());
      }
      return results;
    } catch (ExecutionException e) {
      throw TaskFailure.unchecked(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(FailureSubject.job(jobId).describe("probing interrupted"), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<ProbedSegment> probeBatch(String jobId, List<Segment> segments) {
    List<Path> files = segments.stream().map(Segment::file).toList();
    int start = segments.get(0).index();
    List<Entry> entries;
    try {
      entries = FfmpegInputDump.parse(describe(files), files);
    } catch (IOException e) {
      throw new UncheckedIOException(
          FailureSubject.job(jobId)
              .describe("could not probe segments " + start + "-" + (start + files.size() - 1)),
          e);
    }
    List<ProbedSegment> probed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) instanceof Unusable unusable) {
        throw FailureType.INVALID_SEGMENT.failure(
            segments.get(i).subject(jobId).describe("is not usable audio: " + unusable.reason()));
      }
      probed.add(segments.get(i).probed(((Usable) entries.get(i)).probe()));
    }
    if (probed.size() < files.size()) {
      throw new UncheckedIOException(
          new IOException(
              FailureSubject.job(jobId)
                  .describe(
                      "FFmpeg described only "
                          + probed.size()
                          + " of segments "
                          + start
                          + "-"
                          + (start + files.size() - 1)
                          + " and stopped")));
    }
    return probed;
  }

  /** FFmpeg's description of its inputs: with no output file it opens them, prints it and exits. */
  private String describe(List<Path> files) throws IOException {
    List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin"));
    for (Path file : files) {
      command.addAll(InputOptions.segment(file));
    }
    Process process = launcher.start(command);
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            () -> ProcessTree.kill(process.toHandle(), KILL_GRACE),
            CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    try {
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit > 128) {
        throw new IOException(
            "FFmpeg describing " + files.size() + " segments was killed (exit " + exit + ")");
      }
      return stderr;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(process.toHandle(), KILL_GRACE);
      throw new IOException("interrupted while probing", e);
    } finally {
      watchdog.cancel(false);
    }
  }
}
