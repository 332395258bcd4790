package dev.concat.activities.metrics;

import java.time.Duration;

/** {@link JobMetrics#none()}. */
enum NoJobMetrics implements JobMetrics {
  INSTANCE;

  @Override
  public void segmentDownloaded(long bytes) {}

  @Override
  public void outputUploaded(long bytes) {}

  @Override
  public void ffmpegStarted() {}

  @Override
  public void ffmpegFinished(Duration ran) {}
}
