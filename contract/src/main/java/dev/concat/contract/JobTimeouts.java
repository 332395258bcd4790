package dev.concat.contract;

/**
 * Per-job timeouts in seconds; any null field takes its default. The defaults are sized so a dead
 * worker's job starts again elsewhere within about 30 s: the heartbeat timeout notices the silence,
 * and the short host schedule-to-start timeout notices nobody is left on the host.
 *
 * @param maxProcessingSeconds the whole job's limit, after which it fails (default 3600)
 * @param heartbeatSeconds how long an activity may go without reporting progress (default 15)
 * @param downloadSeconds start-to-close of one download attempt (default 1800)
 * @param concatSeconds start-to-close of one FFmpeg attempt (default 3600)
 * @param uploadSeconds start-to-close of one upload attempt (default 1800)
 * @param hostScheduleToStartSeconds how long a host-bound step may wait for its host (default 10)
 * @param hostAttempts how many times the download-concat-upload sequence may run, each time on
 *     whichever live worker claims it (default 3)
 */
public record JobTimeouts(
    Long maxProcessingSeconds,
    Long heartbeatSeconds,
    Long downloadSeconds,
    Long concatSeconds,
    Long uploadSeconds,
    Long hostScheduleToStartSeconds,
    Integer hostAttempts) {

  public static final JobTimeouts DEFAULTS =
      new JobTimeouts(3600L, 15L, 1800L, 3600L, 1800L, 10L, 3);

  /** This value with every missing field taken from {@link #DEFAULTS}. */
  public JobTimeouts withDefaults() {
    return new JobTimeouts(
        or(maxProcessingSeconds, DEFAULTS.maxProcessingSeconds),
        or(heartbeatSeconds, DEFAULTS.heartbeatSeconds),
        or(downloadSeconds, DEFAULTS.downloadSeconds),
        or(concatSeconds, DEFAULTS.concatSeconds),
        or(uploadSeconds, DEFAULTS.uploadSeconds),
        or(hostScheduleToStartSeconds, DEFAULTS.hostScheduleToStartSeconds),
        or(hostAttempts, DEFAULTS.hostAttempts));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
