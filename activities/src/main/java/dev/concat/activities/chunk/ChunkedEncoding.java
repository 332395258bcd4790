package dev.concat.activities.chunk;

import java.time.Duration;

/**
 * When a re-encoded MP3 join is encoded as chunks on every free core ({@link ChunkedMp3Join}), and
 * how long its chunks are.
 *
 * @param minLength joins at least this long are encoded in chunks; shorter ones by one FFmpeg
 * @param chunkLength about how long each chunk is
 */
public record ChunkedEncoding(Duration minLength, Duration chunkLength) {
  /**
   * Measured on set A (40 min) on 2 cores: the join's encode takes about half as long in chunks.
   * Below a few minutes the decode to PCM and the encoders' starts eat what the cores save.
   */
  public static final long DEFAULT_MIN_SECONDS = 300;

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
    return seconds >= minLength.toMillis() / 1000.0;
  }
}
