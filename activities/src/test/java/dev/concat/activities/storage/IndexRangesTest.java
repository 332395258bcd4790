package dev.concat.activities.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class IndexRangesTest {

  @Test
  void writesRunsAsRanges() {
    var set = new BitSet();
    set.set(0, 42);
    set.set(43);
    set.set(45, 1000);
    assertEquals("0-41,43,45-999", IndexRanges.format(set));
    assertEquals(set, IndexRanges.parse("0-41,43,45-999"));
  }

  @Test
  void emptyIsEmpty() {
    assertEquals("", IndexRanges.format(new BitSet()));
    assertEquals(new BitSet(), IndexRanges.parse(""));
    assertEquals(new BitSet(), IndexRanges.parse(null));
  }

  @Test
  void rejectsGarbage() {
    assertThrows(IllegalArgumentException.class, () -> IndexRanges.parse("3-1"));
    assertThrows(IllegalArgumentException.class, () -> IndexRanges.parse("a,b"));
    assertThrows(IllegalArgumentException.class, () -> IndexRanges.parse("-4"));
  }
}
