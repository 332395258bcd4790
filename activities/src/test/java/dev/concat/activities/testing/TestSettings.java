package dev.concat.activities.testing;

import dev.concat.activities.ActivitySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Activity settings for tests: FFmpeg from PATH, reports without delay, a short kill grace. */
public final class TestSettings {
  public static final String WORKER = "4242@test-host";
  public static final String HOST_QUEUE = "concat-host-test-host";

  public static ActivitySettings forWorkDir(Path workDir) {
    return withFfmpeg(workDir, Path.of("ffmpeg"));
  }

  /**
   * As {@link #forWorkDir}, running {@code ffmpeg} (for example a wrapper that slows FFmpeg down).
   */
  public static ActivitySettings withFfmpeg(Path workDir, Path ffmpeg) {
    return new ActivitySettings(
        workDir,
        ffmpeg,
        Path.of("ffprobe"),
        Map.of(),
        3,
        Duration.ZERO,
        Duration.ofSeconds(1),
        WORKER,
        HOST_QUEUE,
        2);
  }

  private TestSettings() {}
}
