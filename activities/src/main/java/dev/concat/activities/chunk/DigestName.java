package dev.concat.activities.chunk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Names a work file by a SHA-256 of what it was made from, so that a later attempt on the same host
 * knows a file it finds is the one it would make.
 */
public final class DigestName {
  /** Enough of a SHA-256 to name a file: an accidental match in 2^128 is not a concern. */
  private static final int NAME_BYTES = 16;

  private DigestName() {}

  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The digest's first bytes in hex. */
  public static String of(MessageDigest digest) {
    return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(), NAME_BYTES));
  }
}
