package dev.concat.app.metrics;

import dev.concat.activities.metrics.JobMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The activities' {@link JobMetrics} as Micrometer meters; each field names what Prometheus shows.
 */
final class MicrometerJobMetrics implements JobMetrics {
  /** concat_segments_downloaded_total */
  private final Counter segmentsDownloaded;

  /** concat_downloaded_bytes_total */
  private final Counter bytesDownloaded;

  /** concat_uploaded_bytes_total */
  private final Counter bytesUploaded;

  /** concat_ffmpeg_seconds_count, _sum and _max */
  private final Timer ffmpegRuns;

  /** concat_ffmpeg_active */
  private final AtomicInteger ffmpegActive = new AtomicInteger();

  MicrometerJobMetrics(MeterRegistry registry) {
    segmentsDownloaded =
        Counter.builder("concat.segments.downloaded")
            .description("Segments fetched from S3 to this worker's disk")
            .register(registry);
    bytesDownloaded =
        Counter.builder("concat.downloaded")
            .baseUnit(BaseUnits.BYTES)
            .description("Bytes of the segments fetched from S3")
            .register(registry);
    bytesUploaded =
        Counter.builder("concat.uploaded")
            .baseUnit(BaseUnits.BYTES)
            .description("Bytes of the joined files stored in S3")
            .register(registry);
    ffmpegRuns =
        Timer.builder("concat.ffmpeg")
            .description("FFmpeg runs (decoding and joining) by wall time, however they ended")
            .register(registry);
    Gauge.builder("concat.ffmpeg.active", ffmpegActive, AtomicInteger::get)
        .description("FFmpeg processes running now")
        .register(registry);
  }

  @Override
  public void segmentDownloaded(long bytes) {
    segmentsDownloaded.increment();
    bytesDownloaded.increment(bytes);
  }

  @Override
  public void outputUploaded(long bytes) {
    bytesUploaded.increment(bytes);
  }

  @Override
  public void ffmpegStarted() {
    ffmpegActive.incrementAndGet();
  }

  @Override
  public void ffmpegFinished(Duration ran) {
    ffmpegActive.decrementAndGet();
    ffmpegRuns.record(ran);
  }
}
