package dev.concat.activities.storage;

import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The parts of an output's multipart upload when some of its bytes are already in the store: each
 * part is either copied server-side from one object or sent from the local file. S3 takes parts of
 * at least 5 MiB (the last part excepted) and copies of at most 5 GiB, so a copy shorter than that,
 * or one that would leave the local bytes before it short, lends bytes to the local part or is sent
 * whole.
 */
final class OutputParts {
  /** S3's least part size, for every part but the last. */
  static final long MIN_PART = CopySource.MIN_BYTES;

  /** S3's largest part, copied or sent. */
  static final long MAX_PART = 5L * 1024 * 1024 * 1024;

  /** The local parts' size: the transfer manager's default, which stores answer quickly. */
  static final long LOCAL_PART = 8L * 1024 * 1024;

  /** One part: bytes {@code [start, end)} of the output. */
  sealed interface Part {
    int number();

    long start();

    long end();

    default long length() {
      return end() - start();
    }
  }

  /** Sent from the local file. */
  record Sent(int number, long start, long end) implements Part {}

  /** Copied from {@code source}, starting at its byte {@code sourceStart}. */
  record Copied(int number, long start, long end, S3Uri source, long sourceStart) implements Part {}

  private OutputParts() {}

  /**
   * The parts of an output of {@code size} bytes, in order, with the copies that fit S3's limits.
   *
   * @param copies non-overlapping ranges of the output the store holds
   */
  static List<Part> plan(long size, List<CopySource> copies) {
    List<Part> parts = new ArrayList<>();
    long sentFrom = 0;
    for (CopySource copy :
        copies.stream().sorted(Comparator.comparingLong(CopySource::start)).toList()) {
      if (copy.start() < sentFrom || copy.end() > size) {
        continue;
      }
      long before = copy.start() - sentFrom;
      // The bytes before the copy form a part of their own, which must reach the least size.
      long lent = before > 0 && before < MIN_PART ? MIN_PART - before : 0;
      long copyFrom = copy.start() + lent;
      long copied = copy.end() - copyFrom;
      if (copied < MIN_PART || copied > MAX_PART) {
        continue;
      }
      addSent(parts, sentFrom, copyFrom);
      parts.add(
          new Copied(
              parts.size() + 1, copyFrom, copy.end(), copy.source(), copyFrom - copy.start()));
      sentFrom = copy.end();
    }
    addSent(parts, sentFrom, size);
    return parts;
  }

  /**
   * Local parts of about {@link #LOCAL_PART} for {@code [from, to)}, none of them under the least.
   */
  private static void addSent(List<Part> parts, long from, long to) {
    long length = to - from;
    if (length <= 0) {
      return;
    }
    long count = Math.max(1, length / LOCAL_PART);
    for (long i = 0; i < count; i++) {
      long start = from + length * i / count;
      long end = from + length * (i + 1) / count;
      parts.add(new Sent(parts.size() + 1, start, end));
    }
  }
}
