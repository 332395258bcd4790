package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.OutputObject;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static final List<String> TWO = List.of("s3://episodes/a.mp3", "s3://episodes/b.wav");
  private static final List<String> THREE =
      List.of("s3://episodes/a.mp3", "s3://episodes/b.mp3", "s3://episodes/c.mp3");
  private static final String OUTPUT = "s3://finished/ep-1.mp3";

  /**
   * 1000 characters, the last one outside the BMP (two chars in Java, one character to a reader).
   */
  private static final String LONGEST_TAG = "a".repeat(999) + "\uD83C\uDF99";

  @Test
  void aWellFormedRequestHasNoProblems() {
    assertEquals(
        List.of(),
        RequestValidator.problems(
            ConcatRequest.builder("ep-1").segments(TWO).output("s3://finished/ep-1.mp3").build(),
            "ep-1"));
  }

  @Test
  void requireValidFailsTheJobWithEveryProblemNotRetryable() {
    ConcatRequest request =
        ConcatRequest.builder("ep-1").segments(List.of()).output("s3://finished/ep-1.wav").build();

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> RequestValidator.requireValid(request, "ep-1"));

    assertEquals(FailureType.INVALID_REQUEST.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(
        "job ep-1: invalid request: the segment list is empty; "
            + "output 's3://finished/ep-1.wav' must end in .mp3 or .m4a",
        failure.getOriginalMessage());
    assertDoesNotThrow(
        () ->
            RequestValidator.requireValid(
                request.toBuilder().segments(TWO).output(OUTPUT).build(), "ep-1"));
  }

  @Test
  void aMissingJobIdTakesTheWorkflowId() {
    assertEquals(
        List.of(),
        RequestValidator.problems(
            ConcatRequest.builder(null).segments(TWO).output("s3://finished/ep.m4a").build(),
            "ep-1"));
  }

  @Test
  void eachBadPartIsNamed() {
    List<String> problems =
        RequestValidator.problems(
            ConcatRequest.builder("../etc")
                .segments(
                    List.of(
                        "s3://episodes/a.mp3",
                        "http://x/y.mp3",
                        "s3://episodes/../../etc/passwd",
                        "s3://episodes//abs.mp3",
                        "s3://Bad_Bucket/k.mp3",
                        "s3://episodes/"))
                .output("s3://finished/out.wav")
                .build(),
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
    List<String> problems =
        RequestValidator.problems(
            ConcatRequest.builder("ep-1")
                .segments(List.of("s3://episodes/a.mp3", "s3://episodes/b.mp3"))
                .output("s3://episodes/b.mp3")
                .build(),
            "ep-1");
    assertEquals(
        List.of("output 's3://episodes/b.mp3' is also segment 1; it would overwrite an input"),
        problems);
  }

  @Test
  void emptySegmentsMismatchedIdsAndNonPositiveTimeoutsAreRejected() {
    JobTimeouts zero = new JobTimeouts(0L, null, null, null, null, null, -1);
    List<String> problems =
        RequestValidator.problems(
            ConcatRequest.builder("ep-2")
                .segments(List.of())
                .output("s3://finished/x.mp3")
                .timeouts(zero)
                .build(),
            "ep-1");
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

  @Test
  void aRequestUsingEveryAudioFieldHasNoProblems() {
    ConcatRequest request =
        ConcatRequest.builder("ep-1")
            .segments(THREE)
            .output("s3://finished/ep-1.m4a")
            .allowStreamCopy(false)
            .encoding(new Encoding(64, 22_050, 1))
            .loudness(new Loudness(-16.0, -1.0))
            .trimSilence(new SilenceTrim(-50.0))
            .gapMs(0)
            .crossfadeMs(2_000)
            .metadata(
                new EpisodeMetadata("Épisode 7 – «Café»", "Host", "Show", 7, "s3://art/cover.jpeg"))
            .chapters(
                List.of(
                    new Chapter(0, "Intro"), new Chapter(1, "Interview"), new Chapter(2, "Outro")))
            .build();
    assertEquals(List.of(), RequestValidator.problems(request, "ep-1"));
  }

  @Test
  void audioProblemsAreReportedWithTheOthers() {
    ConcatRequest request =
        ConcatRequest.builder("ep-1")
            .segments(List.of("http://x/a.mp3"))
            .output(OUTPUT)
            .allowStreamCopy(true)
            .loudness(new Loudness(-50.0, null))
            .build();
    assertEquals(
        List.of(
            "segment 0: 'http://x/a.mp3' is not an s3://bucket/key URI",
            "loudness changes the audio, so it cannot be stream-copied; remove loudness or allowStreamCopy",
            "loudness.integratedLufs -50.0 is outside -40..-5 LUFS"),
        RequestValidator.problems(request, "ep-1"));
  }

  @Test
  void anInvalidOutputSkipsTheChecksThatDependOnItsFormat() {
    ConcatRequest request =
        ConcatRequest.builder("ep-1")
            .segments(THREE)
            .output("s3://finished/ep-1.wav")
            .encoding(new Encoding(1_000, 96_000, null))
            .build();
    assertEquals(
        List.of(
            "output 's3://finished/ep-1.wav' must end in .mp3 or .m4a",
            "encoding.sampleRate 96000 is not a rate MP3 or M4A supports "
                + "(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)"),
        RequestValidator.problems(request, "ep-1"));
  }

  @Test
  void tagsMayHoldAThousandCharactersOfOneLineText() {
    assertEquals(
        List.of(),
        problems(new EpisodeMetadata(LONGEST_TAG, LONGEST_TAG, LONGEST_TAG, null, null), null));
    String longer = LONGEST_TAG + "a";
    List<String> problems =
        problems(new EpisodeMetadata(longer, "Host\nName", "Show\u007f", null, null), null);
    assertEquals(
        List.of(
            "metadata.title is 1001 characters long, more than 1000",
            "metadata.artist contains the control character U+000A; tags are one line of text",
            "metadata.album contains the control character U+007F; tags are one line of text"),
        problems);
    assertProblem(
        problems(new EpisodeMetadata(null, longer, "\u0000", null, null), null),
        "metadata.artist is 1001");
    assertProblem(
        problems(new EpisodeMetadata("\t", null, longer, null, null), null),
        "metadata.album is 1001");
  }

  @Test
  void theEpisodeNumberRunsUpToAMillion() {
    assertEquals(List.of(), problems(new EpisodeMetadata(null, null, null, 0, null), null));
    assertEquals(List.of(), problems(new EpisodeMetadata(null, null, null, 1_000_000, null), null));
    assertEquals(
        List.of("metadata.episode -1 is outside 0..1000000"),
        problems(new EpisodeMetadata(null, null, null, -1, null), null));
    assertEquals(
        List.of("metadata.episode 1000001 is outside 0..1000000"),
        problems(new EpisodeMetadata(null, null, null, 1_000_001, null), null));
  }

  @Test
  void theCoverIsAJpegOrPngThatIsNotTheOutput() {
    for (String cover :
        List.of("s3://art/c.jpg", "s3://art/c.jpeg", "s3://art/c.png", "s3://art/dir/C.JPG")) {
      assertEquals(List.of(), problems(cover(cover), null), cover);
    }
    assertEquals(
        List.of("metadata.cover: 'http://art/c.jpg' is not an s3://bucket/key URI"),
        problems(cover("http://art/c.jpg"), null));
    assertEquals(
        List.of("metadata.cover: 's3://art/../c.png' has a '..' part in its key"),
        problems(cover("s3://art/../c.png"), null));
    assertEquals(
        List.of("metadata.cover 's3://art/c.gif' must end in .jpg, .jpeg or .png"),
        problems(cover("s3://art/c.gif"), null));
    assertEquals(
        List.of(
            "metadata.cover '" + OUTPUT + "' must end in .jpg, .jpeg or .png",
            "metadata.cover '" + OUTPUT + "' is also the output; the output would overwrite it"),
        problems(cover(OUTPUT), null));
  }

  @Test
  void chaptersStartAtSegmentZeroAndThenAtLaterSegments() {
    assertEquals(List.of(), problems(null, List.of()));
    assertEquals(List.of(), problems(null, List.of(new Chapter(0, "Whole episode"))));
    assertEquals(
        List.of(),
        problems(null, List.of(new Chapter(0, "A"), new Chapter(1, "B"), new Chapter(2, "C"))));
    assertEquals(
        List.of(
            "chapters[0]: firstSegment is 1, but the first chapter must start at segment 0 so that "
                + "the chapters cover the whole episode"),
        problems(null, List.of(new Chapter(1, "Late"))));
    List<String> problems =
        problems(
            null,
            Arrays.asList(
                new Chapter(0, "A"),
                new Chapter(2, "B"),
                new Chapter(2, "Again"),
                new Chapter(1, "Back"),
                null,
                new Chapter(null, "No start")));
    assertEquals(
        List.of(
            "chapters: 6 chapters for 3 segments; each chapter starts at a segment of its own",
            "chapters[2]: firstSegment 2 must be after the previous chapter's 2",
            "chapters[3]: firstSegment 1 must be after the previous chapter's 2",
            "chapters[4] is empty",
            "chapters[5]: firstSegment is missing"),
        problems);
  }

  @Test
  void chaptersStartAtASegmentOfTheRequest() {
    assertEquals(
        List.of(
            "chapters[1]: firstSegment 3 is outside 0..2, the segments' indexes",
            "chapters[2]: firstSegment -1 is outside 0..2, the segments' indexes"),
        problems(null, List.of(new Chapter(0, "A"), new Chapter(3, "B"), new Chapter(-1, "C"))));
    assertEquals(
        List.of("chapters[0]: firstSegment -1 is outside 0..2, the segments' indexes"),
        problems(null, List.of(new Chapter(-1, "A"))));
    ConcatRequest noSegments =
        ConcatRequest.builder("ep-1")
            .segments(List.of())
            .output(OUTPUT)
            .chapters(List.of(new Chapter(0, "A"), new Chapter(1, "B")))
            .build();
    assertEquals(
        List.of("the segment list is empty"),
        RequestValidator.problems(noSegments, "ep-1"),
        "no chapter problems on top of the missing segments");
  }

  @Test
  void chapterTitlesAreOneLineOfUpTo500Characters() {
    assertEquals(List.of(), problems(null, List.of(new Chapter(0, "x".repeat(500)))));
    ConcatRequest request =
        ConcatRequest.builder("ep-1")
            .segments(
                List.of("s3://eps/0.mp3", "s3://eps/1.mp3", "s3://eps/2.mp3", "s3://eps/3.mp3"))
            .output(OUTPUT)
            .chapters(
                List.of(
                    new Chapter(0, " "),
                    new Chapter(1, null),
                    new Chapter(2, "x".repeat(501)),
                    new Chapter(3, "a\rb")))
            .build();
    assertEquals(
        List.of(
            "chapters[0]: title is blank",
            "chapters[1]: title is blank",
            "chapters[2]: title is 501 characters long, more than 500",
            "chapters[3]: title contains the control character U+000D; tags are one line of text"),
        RequestValidator.problems(request, "ep-1"));
  }

  @Test
  void outputObjectSettingsAreCheckedBeforeAnyWork() {
    var good =
        new OutputObject(
            "public, max-age=86400",
            "attachment; filename=\"ep-1.mp3\"",
            "STANDARD_IA",
            "aws:kms",
            "alias/podcasts",
            Map.of("show", "Weekly News", "team", "audio"),
            Map.of("episode", "1"),
            "123456789012");
    assertEquals(List.of(), RequestValidator.problems(withObject(good), "ep-1"));

    var bad =
        new OutputObject(
            "no-cache\r\nX-Injected: 1",
            "",
            "COLD",
            "AES128",
            "key",
            Map.of("aws:team", "x", "ok", "a\tb"),
            Map.of("concat-job-id", "forged", "Upper", "v"),
            "12345");
    List<String> problems = RequestValidator.problems(withObject(bad), "ep-1");
    assertProblem(
        problems, "outputObject.cacheControl must be 1 to 1024 printable ASCII characters");
    assertProblem(problems, "outputObject.contentDisposition must be");
    assertProblem(problems, "outputObject.storageClass 'COLD' must be one of");
    assertProblem(
        problems, "outputObject.encryption 'AES128' must be AES256 (SSE-S3) or aws:kms (SSE-KMS)");
    assertProblem(problems, "outputObject.kmsKeyId needs encryption aws:kms");
    assertProblem(problems, "outputObject.tags key 'aws:team' uses the prefix aws:");
    assertProblem(problems, "outputObject.tags['ok'] must be");
    assertProblem(problems, "outputObject.metadata name 'concat-job-id' starts with concat-");
    assertProblem(problems, "outputObject.metadata name 'Upper' must be lower-case");
    assertProblem(
        problems, "outputObject.expectedBucketOwner '12345' must be a 12-digit account id");
    assertEquals(10, problems.size(), problems.toString());
  }

  private static ConcatRequest withObject(OutputObject object) {
    return ConcatRequest.builder("ep-1")
        .segments(THREE)
        .output(OUTPUT)
        .outputObject(object)
        .build();
  }

  private static List<String> problems(EpisodeMetadata metadata, List<Chapter> chapters) {
    return RequestValidator.problems(
        ConcatRequest.builder("ep-1")
            .segments(THREE)
            .output(OUTPUT)
            .metadata(metadata)
            .chapters(chapters)
            .build(),
        "ep-1");
  }

  private static EpisodeMetadata cover(String uri) {
    return new EpisodeMetadata(null, null, null, null, uri);
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(expected)),
        "no '" + expected + "' in " + problems);
  }
}
