package dev.concat.contract.policy;

import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.List;

/**
 * Where jobs may read or write, as an operator wrote it: comma-separated {@code s3://bucket/} or
 * {@code s3://bucket/prefix/} entries, or {@code *} for anything. Pure, so workflow code may use
 * it.
 */
public final class AllowedLocations {
  public static final String ANYWHERE = "*";

  private final String setting;
  private final List<String> prefixes;
  private final boolean anywhere;

  private AllowedLocations(String setting, List<String> prefixes, boolean anywhere) {
    this.setting = setting;
    this.prefixes = prefixes;
    this.anywhere = anywhere;
  }

  /**
   * Parses {@code setting}; throws {@link IllegalArgumentException} saying what is wrong with an
   * entry.
   */
  public static AllowedLocations parse(String setting) {
    if (setting == null || setting.isBlank()) {
      throw new IllegalArgumentException(
          "is empty: give s3://bucket/ or s3://bucket/prefix/ entries, or *");
    }
    List<String> prefixes = new ArrayList<>();
    boolean anywhere = false;
    for (String raw : setting.split(",")) {
      String entry = raw.strip();
      if (entry.equals(ANYWHERE)) {
        anywhere = true;
      } else if (isPrefix(entry)) {
        prefixes.add(entry);
      } else if (!entry.isEmpty()) {
        throw new IllegalArgumentException(
            "entry '" + entry + "' is not s3://bucket/ or s3://bucket/prefix/ (ending in /), or *");
      }
    }
    if (!anywhere && prefixes.isEmpty()) {
      throw new IllegalArgumentException("names no location");
    }
    return new AllowedLocations(setting.strip(), List.copyOf(prefixes), anywhere);
  }

  /** Whether {@code uri} is inside one of the locations. */
  public boolean allows(S3Uri uri) {
    return admits(uri.toString());
  }

  /**
   * Whether every key under {@code keyPrefix} in {@code bucket} is inside one location: a listing
   * of that prefix then stays behind the fence.
   */
  public boolean allowsEveryKeyUnder(String bucket, String keyPrefix) {
    return admits("s3://" + bucket + "/" + keyPrefix);
  }

  private boolean admits(String location) {
    return anywhere || prefixes.stream().anyMatch(location::startsWith);
  }

  /** The setting as the operator wrote it, for messages. */
  public String setting() {
    return setting;
  }

  /**
   * A prefix ends in '/', so s3://concat/ never admits the bucket s3://concat-private, nor
   * s3://concat/shows/ the key shows-private/x.mp3; its bucket follows S3's naming rules.
   */
  private static boolean isPrefix(String entry) {
    if (!entry.startsWith("s3://") || !entry.endsWith("/")) {
      return false;
    }
    return S3Uri.problem(entry + "x").isEmpty();
  }
}
