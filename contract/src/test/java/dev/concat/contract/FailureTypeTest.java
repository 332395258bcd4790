package dev.concat.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins the failure vocabulary: the type strings are in job histories and clients switch on them,
 * and retryability decides whether a job fails at once. Changing a row here must be deliberate.
 */
class FailureTypeTest {
  private static final boolean RETRYABLE = true;
  private static final boolean FINAL = false;

  private record Row(FailureType constant, String type, boolean retryable) {}

  private static final List<Row> VOCABULARY = List.of(
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

  /** The operator runbook's "why did it fail?" table: its header, then rows until the first line that is not one. */
  private static final String RUNBOOK_HEADER = "| type | meaning | action |";
  private static final Pattern BACKTICKED = Pattern.compile("`([A-Za-z]+)`");

  @Test
  void everyTypeKeepsItsStringAndRetryability() {
    EnumSet<FailureType> pinned = EnumSet.noneOf(FailureType.class);
    for (Row row : VOCABULARY) {
      assertEquals(row.type(), row.constant().type(), row.constant().name());
      assertEquals(row.retryable(), row.constant().retryable(), row.constant().name() + " retryable");
      assertFalse(row.constant().meaning().isBlank(), row.constant().name() + " says what it means");
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
    assertTrue(FailureType.INVALID_SEGMENT.is(ApplicationFailure.newFailure("m", "InvalidSegment")));
    assertFalse(FailureType.INVALID_SEGMENT.is(FailureType.INVALID_COVER.failure("m")));
    assertFalse(FailureType.INVALID_SEGMENT.is(new IllegalStateException("InvalidSegment")));
    assertFalse(FailureType.INVALID_SEGMENT.is(null));
  }

  @Test
  void theDoNotRetryListIsTheFinalTypesAndCallersCannotChangeIt() {
    List<String> expected = VOCABULARY.stream().filter(row -> !row.retryable()).map(Row::type).toList();
    String[] first = FailureType.nonRetryableTypes();
    assertEquals(expected, Arrays.asList(first));

    first[0] = "Tampered";
    assertEquals(expected, Arrays.asList(FailureType.nonRetryableTypes()), "a fresh array each call");
  }

  @Test
  void theRunbookTableDocumentsExactlyTheseTypes() throws IOException {
    Set<String> documented = runbookTypes();
    Set<String> known = new LinkedHashSet<>();
    for (FailureType type : FailureType.values()) {
      known.add(type.type());
    }
    List<String> unknown = new ArrayList<>(documented);
    unknown.removeAll(known);
    List<String> undocumented = new ArrayList<>(known);
    undocumented.removeAll(documented);
    assertEquals(List.of(), unknown, "README runbook rows name types concat never raises");
    assertEquals(List.of(), undocumented, "failure types missing from the README runbook table");
  }

  /** The backticked names in the first column of the runbook's failure table. */
  private static Set<String> runbookTypes() throws IOException {
    Path readme = Path.of("..", "README.md");
    assertTrue(Files.isRegularFile(readme), "the README is at " + readme.toAbsolutePath());
    List<String> lines = Files.readAllLines(readme);
    int header = lines.indexOf(RUNBOOK_HEADER);
    assertTrue(header >= 0, "the README has the runbook table headed " + RUNBOOK_HEADER);
    Set<String> types = new LinkedHashSet<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String firstCell = lines.get(i).split("\\|")[1];
      Matcher names = BACKTICKED.matcher(firstCell);
      while (names.find()) {
        types.add(names.group(1));
      }
    }
    assertTrue(types.size() > 5, "the table was found and read: " + types);
    return types;
  }
}
