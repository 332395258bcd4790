package dev.concat.activities.ffmpeg;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When a chunked encode's decode and encode started and ended, for its log lines. */
final class ChunkedEncodeTiming {
  // The lines are the chunked encode's, and are logged as its own.
  private static final Logger log = LoggerFactory.getLogger(ChunkedJoinEncode.class);

  private final String jobId;
  private final boolean decodedBefore;
  private final long started;
  private volatile long encodeStart;
  private volatile long decodedAt;
  private volatile long joinedAt;

  /**
   * @param decodedBefore whether an earlier attempt's whole decode is used again
   * @param started {@link System#nanoTime()} when the job's chunked encode began
   */
  ChunkedEncodeTiming(String jobId, boolean decodedBefore, long started) {
    this.jobId = jobId;
    this.decodedBefore = decodedBefore;
    this.started = started;
  }

  void encodeStarted() {
    encodeStart = System.nanoTime();
    decodedAt = encodeStart;
  }

  void decoded() {
    decodedAt = System.nanoTime();
  }

  /** The chunks are joined: logs the decode's and the encode's times. */
  void joined(int chunks, int reused, String extra, int cores) {
    joinedAt = System.nanoTime();
    log.info(
        "job {}: {} the join to PCM in {} s, encoded it in {} chunks ({} kept from an earlier"
            + " attempt or job{}) on up to {} cores in {} s from the decode's start",
        jobId,
        decodedBefore ? "kept the earlier attempt's decode of" : "decoded",
        seconds(started, decodedAt),
        chunks,
        reused,
        extra,
        cores,
        seconds(encodeStart, joinedAt));
  }

  /** The output is measured, {@code how}: logs how long that took after the join. */
  void measured(String how) {
    log.info(
        "job {}: {} the output {} s after the join",
        jobId,
        how,
        seconds(joinedAt, System.nanoTime()));
  }

  private static String seconds(long fromNanos, long toNanos) {
    return String.format(Locale.ROOT, "%.2f", (toNanos - fromNanos) / 1e9);
  }
}
