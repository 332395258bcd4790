package dev.concat.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitPlanTest {
  @TempDir Path dir;

  @Test
  void localFilesAreStagedInTheOutputBucketInOrder() throws IOException {
    Files.writeString(dir.resolve("intro part.mp3"), "x");
    Files.writeString(dir.resolve("outro.mp3"), "x");
    ConcatRequest draft =
        ConcatRequest.builder("ep-1")
            .segments(List.of("intro part.mp3", "s3://raw/ad.mp3", "outro.mp3"))
            .output("s3://shows/ep-1.mp3")
            .build();

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(List.of(), plan.problems());
    assertEquals(
        List.of(
            "s3://shows/concat-staging/ep-1/00000-intro_part.mp3",
            "s3://raw/ad.mp3",
            "s3://shows/concat-staging/ep-1/00002-outro.mp3"),
        plan.request().segments());
    assertEquals(2, plan.uploads().size());
    assertEquals(dir.resolve("outro.mp3"), plan.uploads().get(1).file());
  }

  @Test
  void aMissingLocalFileIsNamedOnceWithItsIndex() {
    ConcatRequest draft =
        ConcatRequest.builder("ep-1")
            .segments(List.of("s3://raw/a.mp3", "missing.mp3"))
            .output("s3://shows/ep-1.mp3")
            .build();

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(
        List.of("segment 1: 'missing.mp3' is neither an s3:// URI nor a readable file"),
        plan.problems());
  }

  @Test
  void theValidatorsProblemsAreReported() {
    ConcatRequest draft =
        ConcatRequest.builder("bad id!")
            .segments(List.of("s3://raw/a.mp3"))
            .output("s3://shows/ep-1.wav")
            .build();

    SubmitPlan plan = SubmitPlan.of(draft, dir);

    assertEquals(2, plan.problems().size(), plan.problems().toString());
    assertTrue(
        plan.problems().get(0).startsWith("job id 'bad id!' is invalid"),
        plan.problems().toString());
    assertTrue(
        plan.problems().get(1).contains("must end in .mp3 or .m4a"), plan.problems().toString());
  }
}
