package dev.concat.activities.chunk;

import java.time.Duration;

/**
 * When a re-encoded MP3 or M4A join is encoded as chunks on every free core ({@link
 * ChunkedMp3Join}, {@link ChunkedAacJoin}), and how long its chunks are.
 *
 * @param minLength joins at least this long are encoded in chunks, shorter ones by one FFmpeg; zero
 *     encodes none in chunks
 * @param chunkLength about how long each chunk is
 * @param runLength about how much of a spread encode one worker encodes in one activity
 */
public record ChunkedEncoding(Duration minLength, Duration chunkLength, Duration runLength) {
  /**
   * Off. Measured on set A (40 min, {@code concat bench}, 2 cores): the concat phase takes as long
   * chunked as in one FFmpeg (27.7 s against 29.2 s, 26.4 s against 26.3 s in two pairs of runs):
   * the chunks encode faster, but the decode and the output's measurement (8.8 s, where the one
   * FFmpeg's meter runs on the second core while it writes) take it back. Chunking buys the resume
   * after a crash, for 10 MiB of disk a minute of audio; not measured yet on a host with more idle
   * cores, where the encode's share of the time shrinks with each core.
   */
  public static final long DEFAULT_MIN_SECONDS = 0;

  /**
   * Short enough that the last chunks spread over the cores too, long enough that starts are few.
   */
  public static final Duration DEFAULT_CHUNK_LENGTH = Duration.ofSeconds(60);

  /**
   * A spread encode's run: the audio one worker encodes in one activity, chunk after chunk. Each
   * run costs the job's history about six events, so a 40-minute job's 2 runs keep it under 100 and
   * a 10-hour job's 30 under 400; longer runs spread less.
   */
  public static final Duration DEFAULT_RUN_LENGTH = Duration.ofMinutes(20);

  public static final ChunkedEncoding DEFAULT =
      new ChunkedEncoding(
          Duration.ofSeconds(DEFAULT_MIN_SECONDS), DEFAULT_CHUNK_LENGTH, DEFAULT_RUN_LENGTH);

  public ChunkedEncoding(Duration minLength, Duration chunkLength) {
    this(minLength, chunkLength, DEFAULT_RUN_LENGTH);
  }

  public ChunkedEncoding {
    if (minLength.isNegative()
        || chunkLength.isNegative()
        || chunkLength.isZero()
        || runLength.isNegative()
        || runLength.isZero()) {
      throw new IllegalArgumentException(
          "chunked encoding needs a length of at least 0 and chunks longer than 0, not "
              + minLength
              + " and "
              + chunkLength);
    }
  }

  /** Whether a join of {@code seconds} is encoded in chunks. */
  public boolean chunks(double seconds) {
    return !minLength.isZero() && seconds >= minLength.toMillis() / 1000.0;
  }
}
