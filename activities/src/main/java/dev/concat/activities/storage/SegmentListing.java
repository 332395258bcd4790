package dev.concat.activities.storage;

import dev.concat.contract.policy.AllowedLocations;
import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Sizes many segments at once: one listing of the key prefix a bucket's segments share answers for
 * up to a thousand of them, where a HEAD each would cost a round trip each (a thousand 3 s segments
 * spent 1.2 to 1.8 s on HEADs before their first GET). What the listing does not answer (a key it
 * did not find, a store or a policy that refuses to list, a prefix crowded with other objects or
 * reaching beyond the allowed input locations) is left to the caller's HEADs, which also name a
 * missing segment exactly.
 */
final class SegmentListing {
  private static final Logger log = LoggerFactory.getLogger(SegmentListing.class);

  /** Below this many segments in one bucket, parallel HEADs take no longer than a listing. */
  static final int LISTED_FROM = 16;

  /**
   * Keys listed per segment wanted before giving up on a prefix that holds mostly other objects.
   */
  private static final int KEYS_PER_SEGMENT = 4;

  /** The least number of keys a listing may read, however few segments it is for. */
  private static final int MIN_KEYS = 1000;

  private final S3Client s3;
  private final AllowedLocations inputs;

  /**
   * @param inputs where jobs may read: a prefix reaching beyond them is not listed
   */
  SegmentListing(S3Client s3, AllowedLocations inputs) {
    this.s3 = s3;
    this.inputs = inputs;
  }

  /** The sizes the listings found, by segment index, for the segments at {@code indices}. */
  Map<Integer, Long> sizes(String jobId, List<S3Uri> segments, List<Integer> indices) {
    Map<String, List<Integer>> byBucket = new LinkedHashMap<>();
    for (int index : indices) {
      byBucket.computeIfAbsent(segments.get(index).bucket(), b -> new ArrayList<>()).add(index);
    }
    Map<Integer, Long> sizes = new HashMap<>();
    byBucket.forEach(
        (bucket, inBucket) -> {
          if (inBucket.size() >= LISTED_FROM) {
            sizes.putAll(list(jobId, bucket, segments, inBucket));
          }
        });
    return sizes;
  }

  private Map<Integer, Long> list(
      String jobId, String bucket, List<S3Uri> segments, List<Integer> inBucket) {
    Map<String, List<Integer>> wanted = new HashMap<>();
    for (int index : inBucket) {
      wanted.computeIfAbsent(segments.get(index).key(), k -> new ArrayList<>()).add(index);
    }
    String prefix = commonPrefix(wanted.keySet());
    if (!inputs.allowsEveryKeyUnder(bucket, prefix)) {
      return Map.of();
    }
    long keysAllowed = Math.max(MIN_KEYS, (long) KEYS_PER_SEGMENT * wanted.size());
    Map<Integer, Long> sizes = new HashMap<>();
    long keysRead = 0;
    try {
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response page =
            s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation));
        for (S3Object object : page.contents()) {
          List<Integer> indices = wanted.remove(object.key());
          if (indices != null) {
            indices.forEach(i -> sizes.put(i, object.size()));
          }
        }
        keysRead += page.contents().size();
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null && !wanted.isEmpty() && keysRead < keysAllowed);
    } catch (AbortedException e) {
      throw e;
    } catch (SdkException e) {
      // A policy without s3:ListBucket, or a store without listings: HEADs still work.
      log.info(
          "job {}: listing s3://{}/{} failed ({}); sizing its {} segments with HEADs",
          jobId,
          bucket,
          prefix,
          e.getMessage(),
          inBucket.size());
      return Map.of();
    }
    return sizes;
  }

  private static String commonPrefix(Iterable<String> keys) {
    String prefix = null;
    for (String key : keys) {
      if (prefix == null) {
        prefix = key;
        continue;
      }
      int n = 0;
      while (n < prefix.length() && n < key.length() && prefix.charAt(n) == key.charAt(n)) {
        n++;
      }
      prefix = prefix.substring(0, n);
    }
    // A prefix must not end in the first half of a surrogate pair: S3 compares whole characters.
    if (prefix != null
        && !prefix.isEmpty()
        && Character.isHighSurrogate(prefix.charAt(prefix.length() - 1))) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix == null ? "" : prefix;
  }
}
