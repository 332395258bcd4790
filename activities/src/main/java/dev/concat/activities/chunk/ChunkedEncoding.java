package dev.concat.activities.chunk;

import java.time.Duration;

/**
 * When a re-encoded MP3 join is encoded as chunks on every free core ({@link ChunkedMp3Join}), and
 * how long its chunks are.
 *
 * @param minLength joins at least this long are encoded in chunks, shorter ones by one FFmpeg; zero
 *     encodes none in chunks
 * @param chunkLength about how long each chunk is
 */
public record ChunkedEncoding(Duration minLength, Duration chunkLength) {
  /**
   * Off. Measured on set A (40 min, {@code concat bench}, 2 shared cores): the chunks encode in
   * 15.6 s, but with the PCM decode before them (3.1 s) and the output's measurement after them
   * (15.1 s, the Java meter on both cores) the concat phase takes 34.3 s, where one FFmpeg, its
   * output metered while it is written, takes 25.3 s. Not measured yet on a host with more idle
   * cores than that, where the encode's share of the time shrinks with each core.
   */
  public static final long DEFAULT_MIN_SECONDS = 0;

  /**
   * Short enough that the last chunks spread over the cores too, long enough that starts are few.
   */
  public static final Duration DEFAULT_CHUNK_LENGTH = Duration.ofSeconds(60);

  public static final ChunkedEncoding DEFAULT =
      new ChunkedEncoding(Duration.ofSeconds(DEFAULT_MIN_SECONDS), DEFAULT_CHUNK_LENGTH);

  public ChunkedEncoding {
    if (minLength.isNegative() || chunkLength.isNegative() || chunkLength.isZero()) {
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
