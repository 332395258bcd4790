package dev.concat.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.audio.EpisodeMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitPlanCoverTest {
  @TempDir Path dir;

  private static ConcatRequest withCover(
      String jobId, List<String> segments, String output, String cover) {
    return ConcatRequest.builder(jobId)
        .segments(segments)
        .output(output)
        .metadata(new EpisodeMetadata("Pilot", "Ann", null, 1, cover))
        .build();
  }

  @Test
  void aLocalCoverIsStagedNextToTheJobsSegments() throws IOException {
    Files.writeString(dir.resolve("intro.mp3"), "x");
    Files.writeString(dir.resolve("art.PNG"), "png");
    ConcatRequest draft =
        withCover(
            "ep-1", List.of("intro.mp3", "s3://raw/talk.mp3"), "s3://shows/ep-1.mp3", "art.PNG");

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(List.of(), plan.problems());
    assertEquals(dir.resolve("art.PNG"), plan.cover().file());
    assertEquals("s3://shows/concat-staging/ep-1/cover.png", plan.cover().target().toString());
    assertEquals(
        new EpisodeMetadata("Pilot", "Ann", null, 1, "s3://shows/concat-staging/ep-1/cover.png"),
        plan.request().metadata());
    assertEquals(
        List.of("s3://shows/concat-staging/ep-1/00000-intro.mp3", "s3://raw/talk.mp3"),
        plan.request().segments());
    assertEquals(1, plan.uploads().size());
  }

  @Test
  void anS3CoverIsLeftAsItIs() {
    ConcatRequest draft =
        withCover("ep-1", List.of("s3://raw/a.mp3"), "s3://shows/ep-1.mp3", "s3://art/ep-1.jpg");

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertNull(plan.cover());
    assertEquals("s3://art/ep-1.jpg", plan.request().metadata().cover());
    assertEquals(List.of(), plan.uploads());
  }

  @Test
  void aRequestWithoutACoverStagesNone() {
    SubmitPlan plan =
        SubmitPlan.of(
            ConcatRequest.builder("ep-1")
                .segments(List.of("s3://raw/a.mp3"))
                .output("s3://shows/ep-1.mp3")
                .build(),
            dir);

    assertNull(plan.cover());
    assertNull(plan.request().metadata());
    assertEquals(List.of(), plan.problems());
  }

  @Test
  void aMissingCoverIsNamedOnceLikeABadSegment() {
    ConcatRequest draft =
        withCover("ep-1", List.of("s3://raw/a.mp3"), "s3://shows/ep-1.mp3", "missing.jpg");

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(
        List.of("cover: 'missing.jpg' is neither an s3:// URI nor a readable file"),
        plan.problems());
    assertNull(plan.cover());
  }

  @Test
  void aFolderIsNotACover() throws IOException {
    Files.createDirectories(dir.resolve("art"));
    ConcatRequest draft =
        withCover("ep-1", List.of("s3://raw/a.mp3"), "s3://shows/ep-1.mp3", "art");

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(
        List.of("cover: 'art' is neither an s3:// URI nor a readable file"), plan.problems());
  }

  @Test
  void withoutAValidOutputTheCoverIsNotStagedAndOnlyTheOutputIsBlamed() throws IOException {
    Files.writeString(dir.resolve("art.jpg"), "jpeg");
    ConcatRequest draft = withCover("ep-1", List.of("s3://raw/a.mp3"), "ep-1.mp3", "art.jpg");

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertNull(plan.cover());
    assertEquals(1, plan.problems().size(), plan.problems().toString());
    assertTrue(plan.problems().get(0).startsWith("output: "), plan.problems().toString());
  }
}
