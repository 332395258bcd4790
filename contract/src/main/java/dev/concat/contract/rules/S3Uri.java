package dev.concat.contract.rules;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} address. Pure parsing, no I/O, so workflow code may use it.
 *
 * <p>Keys are never turned into local paths (segments are stored by index), so a key with {@code
 * ..} cannot escape a work directory; such keys are still rejected as almost certainly a mistake.
 */
public record S3Uri(String bucket, String key) {

  // S3's bucket naming rules, loosened only to allow R2/MinIO's underscore-free subset.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** Parses {@code text} or says why it is not a usable S3 URI. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isBlank()) {
      return Optional.of("is empty");
    }
    if (!text.startsWith("s3://")) {
      return Optional.of("'" + text + "' is not an s3://bucket/key URI");
    }
    String rest = text.substring(5);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.of("'" + text + "' needs both a bucket and a key (s3://bucket/key)");
    }
    String bucket = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    if (!BUCKET.matcher(bucket).matches()) {
      return Optional.of("'" + text + "' has an invalid bucket name '" + bucket + "'");
    }
    if (key.startsWith("/")) {
      return Optional.of("'" + text + "' has an absolute key");
    }
    for (String part : key.split("/", -1)) {
      if (part.equals("..") || part.equals(".")) {
        return Optional.of("'" + text + "' has a '" + part + "' part in its key");
      }
    }
    if (key.chars().anyMatch(c -> c < 0x20)) {
      return Optional.of("'" + text + "' has a control character in its key");
    }
    return Optional.empty();
  }

  /** Parses a URI already known to be valid; throws {@link IllegalArgumentException} otherwise. */
  public static S3Uri parse(String text) {
    problem(text)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    String rest = text.substring(5);
    int slash = rest.indexOf('/');
    return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** The key's file extension in lower case without the dot, or empty. */
  public String extension() {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
