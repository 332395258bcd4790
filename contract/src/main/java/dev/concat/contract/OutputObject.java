package dev.concat.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the output object is stored: the headers players and CDNs read, where and how S3 keeps it,
 * and what it is labelled with. Every field is optional; a request's fields win over the worker's
 * defaults ({@link #over}), and tags and metadata are merged key by key.
 *
 * @param cacheControl the {@code Cache-Control} header served with the object
 * @param contentDisposition the {@code Content-Disposition} header, e.g. {@code attachment;
 *     filename="ep1.mp3"}
 * @param storageClass the S3 storage class, e.g. {@code STANDARD_IA}
 * @param encryption server-side encryption: {@code AES256} (SSE-S3) or {@code aws:kms} (SSE-KMS)
 * @param kmsKeyId the KMS key for {@code aws:kms}; null means the bucket's or account's default key
 * @param tags object tags (at most 10)
 * @param metadata user metadata ({@code x-amz-meta-*}); names starting with {@code concat-} are
 *     concat's own
 * @param expectedBucketOwner the account id that must own the output bucket (AWS refuses the write
 *     with 403 otherwise)
 */
public record OutputObject(
    String cacheControl,
    String contentDisposition,
    String storageClass,
    String encryption,
    String kmsKeyId,
    Map<String, String> tags,
    Map<String, String> metadata,
    String expectedBucketOwner) {

  public static final OutputObject NONE =
      new OutputObject(null, null, null, null, null, null, null, null);

  /** This object's fields, with {@code defaults} filling those it leaves out. */
  public OutputObject over(OutputObject defaults) {
    if (defaults == null) {
      return this;
    }
    return new OutputObject(
        pick(cacheControl, defaults.cacheControl),
        pick(contentDisposition, defaults.contentDisposition),
        pick(storageClass, defaults.storageClass),
        pick(encryption, defaults.encryption),
        // A key id belongs to the encryption it came with.
        encryption == null ? defaults.kmsKeyId : kmsKeyId,
        merge(defaults.tags, tags),
        merge(defaults.metadata, metadata),
        pick(expectedBucketOwner, defaults.expectedBucketOwner));
  }

  public Map<String, String> tagsOrEmpty() {
    return tags == null ? Map.of() : tags;
  }

  public Map<String, String> metadataOrEmpty() {
    return metadata == null ? Map.of() : metadata;
  }

  private static String pick(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static Map<String, String> merge(Map<String, String> base, Map<String, String> winning) {
    if (base == null || base.isEmpty()) {
      return winning;
    }
    Map<String, String> merged = new LinkedHashMap<>(base);
    if (winning != null) {
      merged.putAll(winning);
    }
    return merged;
  }
}
