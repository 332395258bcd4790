package dev.concat.activities.storage;

import java.util.BitSet;

/**
 * A set of segment indexes written as ranges, {@code 0-41,43,45-99}: a 1,000-segment job's download
 * checkpoint stays a few bytes in the heartbeat and readable in the Web UI.
 */
public final class IndexRanges {

  public static String format(BitSet indexes) {
    var text = new StringBuilder();
    int start = indexes.nextSetBit(0);
    while (start >= 0) {
      int end = indexes.nextClearBit(start) - 1;
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(start);
      if (end > start) {
        text.append('-').append(end);
      }
      start = indexes.nextSetBit(end + 1);
    }
    return text.toString();
  }

  /** Parses {@link #format}'s output; throws {@link IllegalArgumentException} on anything else. */
  public static BitSet parse(String text) {
    var indexes = new BitSet();
    if (text == null || text.isBlank()) {
      return indexes;
    }
    for (String part : text.split(",")) {
      int dash = part.indexOf('-');
      try {
        int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
        if (from < 0 || to < from) {
          throw new IllegalArgumentException("bad range '" + part + "' in '" + text + "'");
        }
        indexes.set(from, to + 1);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad range '" + part + "' in '" + text + "'", e);
      }
    }
    return indexes;
  }

  private IndexRanges() {}
}
