package dev.concat.activities;

import static dev.concat.activities.DownloadActivityTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobActivities;
import dev.concat.contract.policy.OperatorPolicy;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download's check before any GET learns the segments' sizes from one listing of the prefix
 * they share, not a HEAD each, and still works where listing does not.
 */
class SegmentSizingTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;
  Path audio;
  long audioBytes;

  @BeforeEach
  void start() throws IOException {
    audio = SampleAudio.sine(temp.resolve("s.mp3"), 0.5, 440);
    audioBytes = Files.size(audio);
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void manySegmentsAreSizedByOneListingNotAHeadEach() {
    List<String> segments = segments("listed/ep1/part-", 40);
    s3.put("listed/ep1/notes.txt", new byte[] {1, 2, 3});
    s3.put("listed/ep2/part-0.mp3", audio);
    s3.store().reset();

    DownloadResult result = jobs(OperatorPolicy.anywhere()).download(input("one", segments));

    assertEquals(40 * audioBytes, result.bytes());
    assertEquals(1, s3.store().listings(), "one page lists the 40 segments and their neighbour");
    assertEquals(0, s3.store().heads(), "no segment needed a HEAD");
    assertEquals(40, s3.store().gets());
  }

  @Test
  void aStoreThatRefusesToListIsSizedWithAHeadPerSegment() {
    List<String> segments = segments("refused/part-", 20);
    s3.store().reset();
    s3.store().refuseListings();

    DownloadResult result = jobs(OperatorPolicy.anywhere()).download(input("refused", segments));

    assertEquals(20 * audioBytes, result.bytes());
    assertEquals(20, s3.store().heads(), "the refused listing fell back to HEADs");
    assertEquals(20, s3.store().gets());
  }

  @Test
  void aSegmentTheListingLacksIsNamedByItsHead() {
    List<String> segments = new ArrayList<>(segments("gap/part-", 20));
    segments.set(7, "s3://media/gap/part-7-never-uploaded.mp3");
    s3.store().reset();

    ApplicationFailure failure =
        failureOf(() -> jobs(OperatorPolicy.anywhere()).download(input("gap", segments)));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(
        failure
            .getOriginalMessage()
            .contains("job gap: segment 7 (s3://media/gap/part-7-never-uploaded.mp3)"),
        failure.getOriginalMessage());
    assertEquals(1, s3.store().heads(), "only the segment the listing did not find");
    assertEquals(0, s3.store().gets());
  }

  @Test
  void listedSizesCountAgainstTheInputCeilingBeforeAnyGet() {
    List<String> segments = segments("ceiling/part-", 20);
    long ceiling = 20 * audioBytes - 1;
    s3.store().reset();

    ApplicationFailure failure =
        failureOf(
            () ->
                jobs(new OperatorPolicy("*", "*", 100, ceiling, 3600, 3600, 60, 3))
                    .download(input("ceiling", segments)));

    assertEquals(FailureType.LIMIT_EXCEEDED.type(), failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("the segments' " + 20 * audioBytes + " bytes"),
        failure.getOriginalMessage());
    assertEquals(0, s3.store().heads());
    assertEquals(0, s3.store().gets());
  }

  private JobActivities jobs(OperatorPolicy policy) {
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")).withLimits(policy, 0),
            s3,
            Duration.ofSeconds(30));
    return harness.stub();
  }

  private List<String> segments(String keyPrefix, int count) {
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      segments.add(s3.put(keyPrefix + i + ".mp3", audio));
    }
    return segments;
  }

  private static DownloadInput input(String jobId, List<String> segments) {
    return new DownloadInput(jobId, segments);
  }
}
