package dev.concat.activities.storage;

import java.time.Duration;

/**
 * Where and how to reach the object store.
 *
 * @param endpoint the S3 API endpoint, for example {@code http://127.0.0.1:9000} for MinIO or an R2
 *     account endpoint; null means AWS S3 itself
 * @param region the signing region ({@code us-east-1} for MinIO, {@code auto} for R2)
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of {@code
 *     bucket.endpoint/key}; MinIO and embedded servers need it
 * @param checksumWhenRequired send and check checksums only where the API requires them; Cloudflare
 *     R2 rejects the SDK's default flexible checksums
 * @param idleTimeout a connection that moves no byte for this long is dead, not slow
 * @param attempts tries of one S3 call, first included, before the activity fails
 */
public record S3Settings(
    String endpoint,
    String region,
    boolean pathStyle,
    boolean checksumWhenRequired,
    Duration idleTimeout,
    int attempts) {
  /** An S3 API answers a request within seconds; 30 s of silence is a dead connection or server. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * With waits from 0.5 s doubling up to 5 s (each between half and all of that), eight tries spend
   * 11 to 22 s before giving up: a restart or failover of the store passes inside one attempt of
   * the activity; longer outages fail the attempt and the workflow's reruns take over.
   */
  public static final int DEFAULT_ATTEMPTS = 8;

  public S3Settings(
      String endpoint, String region, boolean pathStyle, boolean checksumWhenRequired) {
    this(endpoint, region, pathStyle, checksumWhenRequired, DEFAULT_IDLE_TIMEOUT, DEFAULT_ATTEMPTS);
  }
}
