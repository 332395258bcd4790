package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static final List<String> TWO = List.of("s3://episodes/a.mp3", "s3://episodes/b.wav");

  @Test
  void aWellFormedRequestHasNoProblems() {
    assertEquals(List.of(), RequestValidator.problems(new ConcatRequest("ep-1", TWO, "s3://finished/ep-1.mp3"), "ep-1"));
  }

  @Test
  void aMissingJobIdTakesTheWorkflowId() {
    assertEquals(List.of(), RequestValidator.problems(new ConcatRequest(null, TWO, "s3://finished/ep.m4a"), "ep-1"));
  }

  @Test
  void eachBadPartIsNamed() {
    List<String> problems = RequestValidator.problems(
        new ConcatRequest("../etc", List.of("s3://episodes/a.mp3", "http://x/y.mp3", "s3://episodes/../../etc/passwd",
            "s3://episodes//abs.mp3", "s3://Bad_Bucket/k.mp3", "s3://episodes/"), "s3://finished/out.wav"),
        "../etc");
    assertProblem(problems, "job id '../etc' is invalid");
    assertProblem(problems, "segment 1: 'http://x/y.mp3' is not an s3://bucket/key URI");
    assertProblem(problems, "segment 2: 's3://episodes/../../etc/passwd' has a '..' part");
    assertProblem(problems, "segment 3: 's3://episodes//abs.mp3' has an absolute key");
    assertProblem(problems, "segment 4: 's3://Bad_Bucket/k.mp3' has an invalid bucket name");
    assertProblem(problems, "segment 5: 's3://episodes/' needs both a bucket and a key");
    assertProblem(problems, "must end in .mp3 or .m4a");
    assertEquals(7, problems.size(), problems.toString());
  }

  @Test
  void theOutputMayNotOverwriteAnInput() {
    List<String> problems = RequestValidator.problems(
        new ConcatRequest("ep-1", List.of("s3://episodes/a.mp3", "s3://episodes/b.mp3"), "s3://episodes/b.mp3"), "ep-1");
    assertEquals(List.of("output 's3://episodes/b.mp3' is also segment 1; it would overwrite an input"), problems);
  }

  @Test
  void emptySegmentsMismatchedIdsAndNonPositiveTimeoutsAreRejected() {
    JobTimeouts zero = new JobTimeouts(0L, null, null, null, null, null, -1);
    List<String> problems =
        RequestValidator.problems(new ConcatRequest("ep-2", List.of(), "s3://finished/x.mp3", null, zero), "ep-1");
    assertProblem(problems, "job id 'ep-2' differs from the workflow id 'ep-1'");
    assertProblem(problems, "the segment list is empty");
    assertProblem(problems, "timeouts.maxProcessingSeconds must be positive, not 0");
    assertProblem(problems, "timeouts.hostAttempts must be positive, not -1");
    assertEquals(4, problems.size(), problems.toString());
  }

  @Test
  void anAbsentRequestIsAProblemNotACrash() {
    assertEquals(List.of("the request is empty"), RequestValidator.problems(null, "ep-1"));
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "no '" + expected + "' in " + problems);
  }
}
