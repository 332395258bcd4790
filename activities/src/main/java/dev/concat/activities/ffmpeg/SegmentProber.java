package dev.concat.activities.ffmpeg;

import dev.concat.activities.FailureTypes;
import dev.concat.activities.S3Uri;
import dev.concat.activities.execution.ActivityLogContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.slf4j.MDC;

/**
 * Probes every downloaded segment, a few at a time (ffprobe is short and CPU-bound), and fails
 * the job with {@code InvalidSegment} naming the first segment that holds no usable audio.
 */
final class SegmentProber {
  private final Ffprobe ffprobe;

  SegmentProber(Ffprobe ffprobe) {
    this.ffprobe = ffprobe;
  }

  /**
   * Probes all files; {@code probed} is called on this thread with the count done so far each
   * time it grows, so a long list keeps the activity heartbeating.
   */
  List<AudioProbe> probeAll(String jobId, List<Path> files, List<S3Uri> uris, IntConsumer probed) {
    int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      var thread = new Thread(r, "probe-" + jobId);
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<AudioProbe>> probes = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        int index = i;
        probes.add(pool.submit(ActivityLogContext.carry(() -> probeOne(jobId, index, files.get(index), uris.get(index)))));
      }
      List<AudioProbe> results = new ArrayList<>();
      for (Future<AudioProbe> probe : probes) {
        results.add(probe.get());
        probed.accept(results.size());
      }
      return results;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException("job " + jobId + ": probing interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private AudioProbe probeOne(String jobId, int index, Path file, S3Uri uri) {
    try (var segment = MDC.putCloseable(ActivityLogContext.SEGMENT, String.valueOf(index))) {
      return ffprobe.probe(file);
    } catch (UnusableAudioException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "job " + jobId + ": segment " + index + " (" + uri + ") is not usable audio: " + e.getMessage(),
          FailureTypes.INVALID_SEGMENT);
    } catch (IOException e) {
      throw new UncheckedIOException("job " + jobId + ": could not probe segment " + index + " (" + uri + ")", e);
    }
  }
}
