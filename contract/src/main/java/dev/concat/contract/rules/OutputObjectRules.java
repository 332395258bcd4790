package dev.concat.contract.rules;

import dev.concat.contract.OutputObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an {@link OutputObject} may hold: the values S3 accepts, checked before any work so a typo
 * fails the job at once instead of after the join. Pure and deterministic: the workflow runs it on
 * requests and the worker on its defaults.
 */
public final class OutputObjectRules {
  /** Names concat writes itself (the job mark); a request may not forge them. */
  public static final String RESERVED_METADATA_PREFIX = "concat-";

  public static final Set<String> ENCRYPTIONS = Set.of("AES256", "aws:kms");

  /** S3's storage classes (as of 2025); other S3 APIs accept a subset. */
  public static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "GLACIER_IR",
          "OUTPOSTS",
          "SNOW",
          "EXPRESS_ONEZONE");

  private static final int MAX_TAGS = 10;
  private static final int MAX_TAG_KEY = 128;
  private static final int MAX_TAG_VALUE = 256;

  /** S3 limits the user metadata of one object to 2 KB, names and values together. */
  private static final int MAX_METADATA_BYTES = 2048;

  private static final int MAX_HEADER = 1024;

  /** The characters S3 allows in tag keys and values. */
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  /** An HTTP header name: what a metadata name becomes after {@code x-amz-meta-}. */
  private static final Pattern METADATA_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

  /** Printable US-ASCII: a header value with no line breaks to inject further headers. */
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e]*");

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern KMS_KEY = Pattern.compile("[A-Za-z0-9:/_+=,.@-]{1,2048}");

  private OutputObjectRules() {}

  /**
   * Every problem, each a sentence naming the field under {@code prefix} (e.g. {@code
   * outputObject.}).
   */
  public static List<String> problems(OutputObject object, String prefix) {
    List<String> problems = new ArrayList<>();
    if (object == null) {
      return problems;
    }
    header(object.cacheControl(), prefix + "cacheControl", problems);
    header(object.contentDisposition(), prefix + "contentDisposition", problems);
    if (object.storageClass() != null && !STORAGE_CLASSES.contains(object.storageClass())) {
      problems.add(
          prefix
              + "storageClass '"
              + object.storageClass()
              + "' must be one of "
              + sorted(STORAGE_CLASSES));
    }
    if (object.encryption() != null && !ENCRYPTIONS.contains(object.encryption())) {
      problems.add(
          prefix
              + "encryption '"
              + object.encryption()
              + "' must be AES256 (SSE-S3) or aws:kms (SSE-KMS)");
    }
    if (object.kmsKeyId() != null) {
      if (!"aws:kms".equals(object.encryption())) {
        problems.add(prefix + "kmsKeyId needs encryption aws:kms");
      }
      if (!KMS_KEY.matcher(object.kmsKeyId()).matches()) {
        problems.add(
            prefix + "kmsKeyId '" + object.kmsKeyId() + "' is not a KMS key id, ARN or alias");
      }
    }
    tags(object.tagsOrEmpty(), prefix + "tags", problems);
    metadata(object.metadataOrEmpty(), prefix + "metadata", problems);
    if (object.expectedBucketOwner() != null
        && !ACCOUNT_ID.matcher(object.expectedBucketOwner()).matches()) {
      problems.add(
          prefix
              + "expectedBucketOwner '"
              + object.expectedBucketOwner()
              + "' must be a 12-digit account id");
    }
    return problems;
  }

  private static void header(String value, String field, List<String> problems) {
    if (value == null) {
      return;
    }
    if (value.isBlank() || value.length() > MAX_HEADER || !HEADER_VALUE.matcher(value).matches()) {
      problems.add(
          field
              + " must be 1 to "
              + MAX_HEADER
              + " printable ASCII characters, without line breaks");
    }
  }

  private static void tags(Map<String, String> tags, String field, List<String> problems) {
    if (tags.size() > MAX_TAGS) {
      problems.add(field + " has " + tags.size() + " tags; S3 allows " + MAX_TAGS);
    }
    tags.forEach(
        (key, value) -> {
          if (key == null
              || key.isEmpty()
              || key.length() > MAX_TAG_KEY
              || !TAG_TEXT.matcher(key).matches()) {
            problems.add(
                field
                    + " key '"
                    + key
                    + "' must be 1 to "
                    + MAX_TAG_KEY
                    + " letters, digits, spaces or _ . : / = + - @");
          } else if (key.startsWith("aws:")) {
            problems.add(field + " key '" + key + "' uses the prefix aws:, which S3 reserves");
          }
          if (value == null
              || value.length() > MAX_TAG_VALUE
              || !TAG_TEXT.matcher(value).matches()) {
            problems.add(
                field
                    + "['"
                    + key
                    + "'] must be up to "
                    + MAX_TAG_VALUE
                    + " letters, digits, spaces or _ . : / = + - @");
          }
        });
  }

  private static void metadata(Map<String, String> metadata, String field, List<String> problems) {
    int bytes = 0;
    for (var entry : metadata.entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue();
      if (name == null || !METADATA_NAME.matcher(name).matches()) {
        problems.add(
            field + " name '" + name + "' must be lower-case letters, digits, '-', '_' or '.'");
      } else if (name.startsWith(RESERVED_METADATA_PREFIX)) {
        problems.add(
            field
                + " name '"
                + name
                + "' starts with "
                + RESERVED_METADATA_PREFIX
                + ", which concat reserves for its own marks");
      }
      if (value == null || !HEADER_VALUE.matcher(value).matches()) {
        problems.add(field + "['" + name + "'] must be printable ASCII without line breaks");
      }
      bytes += (name == null ? 0 : name.length()) + (value == null ? 0 : value.length());
    }
    if (bytes > MAX_METADATA_BYTES - 200) {
      // 200 bytes stay free for concat's own marks.
      problems.add(
          field
              + " takes "
              + bytes
              + " bytes; at most "
              + (MAX_METADATA_BYTES - 200)
              + " are allowed");
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
