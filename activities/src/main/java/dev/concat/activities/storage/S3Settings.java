package dev.concat.activities.storage;

/**
 * Where and how to reach the object store.
 *
 * @param endpoint the S3 API endpoint, for example {@code http://127.0.0.1:9000} for MinIO or an
 *     R2 account endpoint; null means AWS S3 itself
 * @param region the signing region ({@code us-east-1} for MinIO, {@code auto} for R2)
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of
 *     {@code bucket.endpoint/key}; MinIO and embedded servers need it
 * @param checksumWhenRequired send and check checksums only where the API requires them;
 *     Cloudflare R2 rejects the SDK's default flexible checksums
 */
public record S3Settings(String endpoint, String region, boolean pathStyle, boolean checksumWhenRequired) {}
