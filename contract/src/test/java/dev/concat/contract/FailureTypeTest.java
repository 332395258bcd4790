package dev.concat.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the failure vocabulary: the type strings are in job histories and clients switch on them,
 * and retryability decides whether a job fails at once. Changing a row here must be deliberate.
 */
class FailureTypeTest {
  private static final boolean RETRYABLE = true;
  private static final boolean FINAL = false;

  private record Row(FailureType constant, String type, boolean retryable) {}

  private static final List<Row> VOCABULARY =
      List.of(
          new Row(FailureType.INVALID_REQUEST, "InvalidRequest", FINAL),
          new Row(FailureType.INVALID_SEGMENT, "InvalidSegment", FINAL),
          new Row(FailureType.INVALID_COVER, "InvalidCover", FINAL),
          new Row(FailureType.MISSING_BUCKET, "MissingBucket", FINAL),
          new Row(FailureType.OUTPUT_EXISTS, "OutputExists", FINAL),
          new Row(FailureType.OUTPUT_REJECTED, "OutputRejected", FINAL),
          new Row(FailureType.WORK_DIR_LOST, "WorkDirLost", RETRYABLE),
          new Row(FailureType.HOST_UNAVAILABLE, "HostUnavailable", RETRYABLE),
          new Row(FailureType.WORKER_SHUTDOWN, "WorkerShutdown", RETRYABLE),
          new Row(FailureType.FFMPEG_FAILED, "FfmpegFailed", RETRYABLE),
          new Row(FailureType.FFMPEG_KILLED, "FfmpegKilled", RETRYABLE),
          new Row(FailureType.FFMPEG_STALLED, "FfmpegStalled", RETRYABLE),
          new Row(FailureType.INSUFFICIENT_DISK, "InsufficientDisk", RETRYABLE),
          new Row(FailureType.WORK_DIR_UNUSABLE, "WorkDirUnusable", RETRYABLE),
          new Row(FailureType.LOCATION_NOT_ALLOWED, "LocationNotAllowed", FINAL),
          new Row(FailureType.LIMIT_EXCEEDED, "LimitExceeded", FINAL),
          new Row(FailureType.FFMPEG_OUT_OF_MEMORY, "FfmpegOutOfMemory", FINAL),
          new Row(FailureType.MAX_PROCESSING_TIME, "MaxProcessingTimeExceeded", FINAL),
          new Row(FailureType.JOB_FAILED, "JobFailed", FINAL));

  @Test
  void everyTypeKeepsItsStringAndRetryability() {
    EnumSet<FailureType> pinned = EnumSet.noneOf(FailureType.class);
    for (Row row : VOCABULARY) {
      assertEquals(row.type(), row.constant().type(), row.constant().name());
      assertEquals(
          row.retryable(), row.constant().retryable(), row.constant().name() + " retryable");
      assertFalse(
          row.constant().meaning().isBlank(), row.constant().name() + " says what it means");
      pinned.add(row.constant());
    }
    assertEquals(EnumSet.allOf(FailureType.class), pinned, "every type is in the table above");
  }

  @Test
  void aFailureCarriesItsTypeAndIsRetriedOnlyWhenItsTypeIs() {
    for (Row row : VOCABULARY) {
      ApplicationFailure failure = row.constant().failure("job j: what happened", "detail");
      assertEquals(row.type(), failure.getType());
      assertEquals(!row.retryable(), failure.isNonRetryable(), row.type());
      assertEquals("job j: what happened", failure.getOriginalMessage());
      assertEquals("detail", failure.getDetails().get(String.class));

      IOException cause = new IOException("disk said no");
      ApplicationFailure caused = row.constant().failureWithCause("job j: with a cause", cause);
      assertEquals(row.type(), caused.getType());
      assertEquals(!row.retryable(), caused.isNonRetryable(), row.type());
      assertSame(cause, caused.getCause());
    }
  }

  @Test
  void aTypeStringNamesItsConstantAndNothingElse() {
    for (Row row : VOCABULARY) {
      assertEquals(Optional.of(row.constant()), FailureType.of(row.type()));
    }
    assertEquals(Optional.empty(), FailureType.of("MissingSegment"));
    assertEquals(Optional.empty(), FailureType.of("invalidsegment"));
    assertEquals(Optional.empty(), FailureType.of(null));
  }

  @Test
  void isRecognisesOnlyAFailureOfItsOwnType() {
    assertTrue(FailureType.INVALID_SEGMENT.is(FailureType.INVALID_SEGMENT.failure("m")));
    assertTrue(
        FailureType.INVALID_SEGMENT.is(ApplicationFailure.newFailure("m", "InvalidSegment")));
    assertFalse(FailureType.INVALID_SEGMENT.is(FailureType.INVALID_COVER.failure("m")));
    assertFalse(FailureType.INVALID_SEGMENT.is(new IllegalStateException("InvalidSegment")));
    assertFalse(FailureType.INVALID_SEGMENT.is(null));
  }

  @Test
  void theDoNotRetryListIsTheFinalTypesAndCallersCannotChangeIt() {
    List<String> expected =
        VOCABULARY.stream().filter(row -> !row.retryable()).map(Row::type).toList();
    String[] first = FailureType.nonRetryableTypes();
    assertEquals(expected, Arrays.asList(first));

    first[0] = "Tampered";
    assertEquals(
        expected, Arrays.asList(FailureType.nonRetryableTypes()), "a fresh array each call");
  }
}
