package dev.concat.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.contract.rules.S3Uri;
import org.junit.jupiter.api.Test;

/**
 * The message prefixes operators grep for and tests assert on; the same text as before there was
 * one builder.
 */
class FailureSubjectTest {
  private static final S3Uri SEGMENT = S3Uri.parse("s3://media/ep-1/2.mp3");

  @Test
  void aJobsFailureIsHeadedByItsId() {
    FailureSubject job = FailureSubject.job("ep-1");
    assertEquals("job ep-1", job.prefix());
    assertEquals("job ep-1: the segment list is empty", job.describe("the segment list is empty"));
  }

  @Test
  void aSegmentIsNamedByIndexAndUri() {
    FailureSubject segment = FailureSubject.segment("ep-1", 2, SEGMENT);
    assertEquals("job ep-1: segment 2 (s3://media/ep-1/2.mp3)", segment.prefix());
    assertEquals(
        "job ep-1: segment 2 (s3://media/ep-1/2.mp3) does not exist",
        segment.describe("does not exist"));
  }

  @Test
  void theCoverAndTheOutputAreNamedByUri() {
    assertEquals(
        "job ep-1: cover image s3://media/ep-1/cover.png is empty (0 bytes)",
        FailureSubject.cover("ep-1", "s3://media/ep-1/cover.png").describe("is empty (0 bytes)"));
    assertEquals(
        "job ep-1: output s3://out/ep-1.mp3 already exists",
        FailureSubject.output("ep-1", S3Uri.parse("s3://out/ep-1.mp3")).describe("already exists"));
  }
}
