package dev.concat.activities.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.rules.S3Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every part but the last at least 5 MiB, copies only where S3 takes them, every byte once. */
class OutputPartsTest {
  private static final long MIB = 1024 * 1024;
  private static final S3Uri A = S3Uri.parse("s3://media/run-a");
  private static final S3Uri B = S3Uri.parse("s3://media/run-b");

  @Test
  void shortLocalBytesBeforeACopyBorrowFromIt() {
    List<OutputParts.Part> parts =
        OutputParts.plan(20 * MIB, List.of(new CopySource(3 * MIB, 15 * MIB, A)));

    assertEquals(
        List.of(
            new OutputParts.Sent(1, 0, 5 * MIB),
            new OutputParts.Copied(2, 5 * MIB, 15 * MIB, A, 2 * MIB),
            new OutputParts.Sent(3, 15 * MIB, 20 * MIB)),
        parts);
    assertValid(20 * MIB, parts);
  }

  @Test
  void adjacentCopiesFollowEachOtherAndTheTailMayBeShort() {
    long size = 5 * MIB / 2 + 6 * MIB + 7 * MIB + 1000;
    long a = 5 * MIB / 2;
    List<OutputParts.Part> parts =
        OutputParts.plan(
            size,
            List.of(
                new CopySource(a + 6 * MIB, size - 1000, B), new CopySource(a, a + 6 * MIB, A)));

    // The 2.5 MiB head borrows 2.5 MiB of A, leaving 3.5 MiB of it: too short to copy, so A is
    // sent.
    assertEquals(
        List.of(
            new OutputParts.Sent(1, 0, a + 6 * MIB),
            new OutputParts.Copied(2, a + 6 * MIB, size - 1000, B, 0),
            new OutputParts.Sent(3, size - 1000, size)),
        parts);
    assertValid(size, parts);
  }

  @Test
  void longLocalStretchesGoInPartsOfAboutEightMiB() {
    List<OutputParts.Part> parts =
        OutputParts.plan(50 * MIB, List.of(new CopySource(30 * MIB, 40 * MIB, A)));

    assertEquals(
        List.of(
            new OutputParts.Sent(1, 0, 10 * MIB),
            new OutputParts.Sent(2, 10 * MIB, 20 * MIB),
            new OutputParts.Sent(3, 20 * MIB, 30 * MIB),
            new OutputParts.Copied(4, 30 * MIB, 40 * MIB, A, 0),
            new OutputParts.Sent(5, 40 * MIB, 50 * MIB)),
        parts);
    assertValid(50 * MIB, parts);
  }

  @Test
  void withoutCopiesTheFileIsSent() {
    assertEquals(List.of(new OutputParts.Sent(1, 0, 1000)), OutputParts.plan(1000, List.of()));
  }

  private static void assertValid(long size, List<OutputParts.Part> parts) {
    long next = 0;
    for (int i = 0; i < parts.size(); i++) {
      OutputParts.Part part = parts.get(i);
      assertEquals(i + 1, part.number(), "numbered in order");
      assertEquals(next, part.start(), "contiguous");
      assertTrue(i == parts.size() - 1 || part.length() >= OutputParts.MIN_PART, "5 MiB: " + part);
      next = part.end();
    }
    assertEquals(size, next, "every byte");
  }
}
