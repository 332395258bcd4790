package dev.concat.activities.metrics;

import java.time.Duration;

/**
 * What the host-bound steps tell operators about the work they do: segments and bytes moved, and
 * FFmpeg runs. The activities only report events; worker-app decides how they are exported.
 */
public interface JobMetrics {

  /**
   * One segment is complete on this host's disk; segments kept from an earlier attempt are not
   * reported.
   */
  void segmentDownloaded(long bytes);

  /** A joined file is complete in S3. */
  void outputUploaded(long bytes);

  /**
   * An FFmpeg process started; {@link #ffmpegFinished} follows once it is gone, however it ended.
   */
  void ffmpegStarted();

  void ffmpegFinished(Duration ran);

  /** Reports nothing: for tests, and for workers that export no metrics. */
  static JobMetrics none() {
    return NoJobMetrics.INSTANCE;
  }
}
