package dev.concat.activities.chunk;

import dev.concat.contract.OutputFormat;
import java.time.Duration;

/**
 * When a re-encoded MP3 or M4A join is encoded as chunks on every free core ({@link
 * ChunkedMp3Join}, {@link ChunkedAacJoin}), and how long its chunks are.
 *
 * @param minLength MP3 joins at least this long are encoded in chunks, shorter ones by one FFmpeg;
 *     zero encodes none in chunks
 * @param chunkLength about how long each chunk is
 * @param runLength about how much of a spread encode one worker encodes in one activity
 * @param m4aMinLength the same for M4A joins
 * @param cacheBytes how much of the host's disk encoded chunks keep after their jobs ({@link
 *     dev.concat.activities.workdir.ChunkCache}); 0 keeps none
 */
public record ChunkedEncoding(
    Duration minLength,
    Duration chunkLength,
    Duration runLength,
    Duration m4aMinLength,
    long cacheBytes) {
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
   * On from two minutes. AAC is the slower encoder (about 76x realtime here against LAME's 110x)
   * and an M4A is measured after it is written, so one FFmpeg leaves the second core idle. Measured
   * end to end through {@code concat dev}, 2 cores, M4A from set A's MP3 segments, 3 runs each: the
   * concat phase of 40 minutes took 24.2-24.7 s chunked against 42.5-42.9 s; of 4 minutes 2.9-3.3 s
   * against 4.6-4.7 s; of 2 minutes (one chunk) 2.4-2.6 s against 2.5 s.
   */
  public static final long DEFAULT_M4A_MIN_SECONDS = 120;

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

  /**
   * A gibibyte: the chunks of about 17 hours of 128 kb/s audio (pre-rolls included), some 25
   * forty-minute episodes. A job that lacks disk evicts them first, so the cache never refuses one.
   */
  public static final long DEFAULT_CACHE_MIB = 1024;

  public static final ChunkedEncoding DEFAULT =
      new ChunkedEncoding(
          Duration.ofSeconds(DEFAULT_MIN_SECONDS),
          DEFAULT_CHUNK_LENGTH,
          DEFAULT_RUN_LENGTH,
          Duration.ofSeconds(DEFAULT_M4A_MIN_SECONDS),
          DEFAULT_CACHE_MIB << 20);

  /** The same threshold for MP3 and M4A joins, and no chunks kept after their jobs. */
  public ChunkedEncoding(Duration minLength, Duration chunkLength) {
    this(minLength, chunkLength, DEFAULT_RUN_LENGTH, minLength, 0);
  }

  public ChunkedEncoding {
    if (minLength.isNegative()
        || m4aMinLength.isNegative()
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
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("a chunk cache of at least 0 bytes, not " + cacheBytes);
    }
  }

  /**
   * About how long each chunk of an M4A is: twice {@link #chunkLength}, because each AAC chunk
   * reads 10 s of pre-roll where an MP3 chunk reads 3.2 s ({@link AacChunkGrid}). Measured on 40
   * minutes to M4A, 2 encoders on 2 cores ({@code ChunkedAacBench}): 22.15 s in 60 s chunks, 20.33
   * s in 120 s chunks, against 33.2 s for one FFmpeg and the output's measurement.
   */
  public Duration aacChunkLength() {
    return chunkLength.multipliedBy(2);
  }

  /** Whether a join of {@code seconds} to {@code format} is encoded in chunks. */
  public boolean chunks(double seconds, OutputFormat format) {
    Duration min = format == OutputFormat.M4A ? m4aMinLength : minLength;
    return !min.isZero() && seconds >= min.toMillis() / 1000.0;
  }
}
