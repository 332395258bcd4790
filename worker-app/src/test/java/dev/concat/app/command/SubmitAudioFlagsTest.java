package dev.concat.app.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.jobs.SubmitPlan;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audio flags of {@code concat submit}: what each one puts in the request, and how it overrides
 * a manifest.
 */
class SubmitAudioFlagsTest {
  private static final String MANIFEST =
      """
      {
        "jobId": "ep-7",
        "segments": ["s3://raw/intro.mp3", "s3://raw/talk.mp3", "s3://raw/outro.mp3"],
        "output": "s3://shows/ep-7.mp3",
        "encoding": {"bitrateKbps": 96, "sampleRate": 48000, "channels": 1},
        "loudness": {"integratedLufs": -14.0, "truePeakDb": -2.0},
        "trimSilence": {"thresholdDb": -40.0},
        "gapMs": 500,
        "crossfadeMs": 200,
        "metadata": {"title": "Old title", "artist": "Ann", "album": "The Show", "episode": 6,
                     "cover": "s3://art/show.jpg"},
        "chapters": [{"firstSegment": 0, "title": "Hello"}, {"firstSegment": 2, "title": "Bye"}]
      }
      """;

  @TempDir Path dir;

  private static SubmitPlan plan(String... args) {
    SubmitCommand command = new SubmitCommand();
    new CommandLine(command).parseArgs(args);
    return command.plan();
  }

  private static ConcatRequest request(String... args) {
    return plan(args).request();
  }

  private String manifest() throws IOException {
    Path file = dir.resolve("ep-7.json");
    Files.writeString(file, MANIFEST);
    return file.toString();
  }

  @Test
  void everyFlagFillsItsField() {
    ConcatRequest request =
        request(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--bitrate",
            "192",
            "--sample-rate",
            "48000",
            "--channels",
            "1",
            "--loudness=-18",
            "--true-peak",
            "-1.5",
            "--trim-silence=-45",
            "--gap-ms",
            "750",
            "--crossfade-ms",
            "300",
            "--title",
            "Pilot",
            "--artist",
            "Ann",
            "--album",
            "The Show",
            "--episode",
            "1",
            "--cover",
            "s3://art/ep-1.png",
            "--chapter",
            "0=Intro",
            "--chapter",
            "1=The interview",
            "s3://raw/a.mp3",
            "s3://raw/b.mp3");

    assertEquals(List.of("s3://raw/a.mp3", "s3://raw/b.mp3"), request.segments());
    assertEquals(new Encoding(192, 48000, 1), request.encoding());
    assertEquals(new Loudness(-18.0, -1.5), request.loudness());
    assertEquals(new SilenceTrim(-45.0), request.trimSilence());
    assertEquals(750, request.gapMs());
    assertEquals(300, request.crossfadeMs());
    assertEquals(
        new EpisodeMetadata("Pilot", "Ann", "The Show", 1, "s3://art/ep-1.png"),
        request.metadata());
    assertEquals(
        List.of(new Chapter(0, "Intro"), new Chapter(1, "The interview")), request.chapters());
  }

  @Test
  void withoutAudioFlagsTheRequestHasNone() {
    ConcatRequest request =
        request("--job-id", "ep-1", "--output", "s3://shows/ep-1.mp3", "s3://raw/a.mp3");

    assertEquals(
        ConcatRequest.builder("ep-1")
            .segments(List.of("s3://raw/a.mp3"))
            .output("s3://shows/ep-1.mp3")
            .build(),
        request);
  }

  @Test
  void bareFlagsAskForTheDefaults() {
    ConcatRequest request =
        request(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--loudness",
            "--trim-silence",
            "s3://raw/a.mp3");

    assertEquals(new Loudness(null, null), request.loudness());
    assertEquals(new SilenceTrim(null), request.trimSilence());
    assertEquals(
        List.of("s3://raw/a.mp3"),
        request.segments(),
        "a segment after a bare flag stays a segment");
  }

  @Test
  void optionalValuesAreTakenOnlyWhenTheyAreNumbers() {
    ConcatRequest request =
        request(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--trim-silence",
            "-45",
            "--loudness",
            "-14.5",
            "s3://raw/a.mp3");

    assertEquals(new SilenceTrim(-45.0), request.trimSilence());
    assertEquals(new Loudness(-14.5, null), request.loudness());
    assertEquals(List.of("s3://raw/a.mp3"), request.segments());
  }

  @Test
  void truePeakAloneImpliesLoudness() {
    ConcatRequest request =
        request(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--true-peak",
            "-2",
            "s3://raw/a.mp3");

    assertEquals(new Loudness(null, -2.0), request.loudness());
  }

  @Test
  void theManifestsAudioFieldsStandWithoutFlags() throws IOException {
    ConcatRequest request = request("--manifest", manifest());

    assertEquals(new Encoding(96, 48000, 1), request.encoding());
    assertEquals(new Loudness(-14.0, -2.0), request.loudness());
    assertEquals(new SilenceTrim(-40.0), request.trimSilence());
    assertEquals(500, request.gapMs());
    assertEquals(200, request.crossfadeMs());
    assertEquals(
        new EpisodeMetadata("Old title", "Ann", "The Show", 6, "s3://art/show.jpg"),
        request.metadata());
    assertEquals(List.of(new Chapter(0, "Hello"), new Chapter(2, "Bye")), request.chapters());
  }

  @Test
  void eachFlagOverridesItsFieldOfTheManifest() throws IOException {
    ConcatRequest request =
        request(
            "--manifest",
            manifest(),
            "--bitrate",
            "192",
            "--loudness=-18",
            "--trim-silence",
            "--gap-ms",
            "0",
            "--title",
            "New title",
            "--episode",
            "7",
            "--cover",
            "s3://art/ep-7.png",
            "--chapter",
            "0=Intro",
            "--chapter",
            "1=Talk",
            "--chapter",
            "2=Outro");

    assertEquals(new Encoding(192, 48000, 1), request.encoding());
    assertEquals(new Loudness(-18.0, -2.0), request.loudness());
    assertEquals(
        new SilenceTrim(null), request.trimSilence(), "a bare --trim-silence resets the threshold");
    assertEquals(0, request.gapMs());
    assertEquals(200, request.crossfadeMs());
    assertEquals(
        new EpisodeMetadata("New title", "Ann", "The Show", 7, "s3://art/ep-7.png"),
        request.metadata());
    assertEquals(
        List.of(new Chapter(0, "Intro"), new Chapter(1, "Talk"), new Chapter(2, "Outro")),
        request.chapters());
    assertEquals("ep-7", request.jobId());
    assertEquals(3, request.segments().size());
  }

  @Test
  void theRemainingFlagsOverrideTheManifestToo() throws IOException {
    ConcatRequest request =
        request(
            "--manifest",
            manifest(),
            "--sample-rate",
            "44100",
            "--channels",
            "2",
            "--true-peak",
            "-1",
            "--trim-silence",
            "-60",
            "--crossfade-ms",
            "0",
            "--artist",
            "Bob",
            "--album",
            "Another Show");

    assertEquals(new Encoding(96, 44100, 2), request.encoding());
    assertEquals(new Loudness(-14.0, -1.0), request.loudness());
    assertEquals(new SilenceTrim(-60.0), request.trimSilence());
    assertEquals(500, request.gapMs());
    assertEquals(0, request.crossfadeMs());
    assertEquals(
        new EpisodeMetadata("Old title", "Bob", "Another Show", 6, "s3://art/show.jpg"),
        request.metadata());
    assertEquals(List.of(new Chapter(0, "Hello"), new Chapter(2, "Bye")), request.chapters());
  }

  @Test
  void aChapterTitleMayHoldAnEqualsSign() {
    ConcatRequest request =
        request(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--chapter",
            "0=1 + 1 = 2",
            "--chapter=1=Q&A",
            "s3://raw/a.mp3",
            "s3://raw/b.mp3");

    assertEquals(List.of(new Chapter(0, "1 + 1 = 2"), new Chapter(1, "Q&A")), request.chapters());
  }

  @Test
  void aChapterWithoutAnEqualsSignIsAUsageError() {
    Run run =
        Run.of(
            "submit",
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--chapter",
            "Intro",
            "s3://raw/a.mp3");

    assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains("--chapter"), run.err());
    assertTrue(
        run.err()
            .contains("'Intro' has no '=' between the segment index and the title, e.g. 0=Intro"),
        run.err());
  }

  @Test
  void aChapterWhoseIndexIsNotANumberIsAUsageError() {
    Run run =
        Run.of(
            "submit",
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--chapter",
            "first=Intro",
            "s3://raw/a.mp3");

    assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains("--chapter"), run.err());
    assertTrue(
        run.err().contains("'first=Intro': the segment index 'first' is not a whole number"),
        run.err());
  }

  @Test
  void aLocalCoverFlagIsStagedNextToTheSegments() throws IOException {
    Path art = Files.writeString(dir.resolve("Art Work.JPG"), "jpeg");

    SubmitPlan plan =
        plan(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--cover",
            art.toString(),
            "s3://raw/a.mp3");

    assertEquals(List.of(), plan.problems());
    assertEquals(art, plan.cover().file());
    assertEquals("s3://shows/concat-staging/ep-1/cover.jpg", plan.cover().target().toString());
    assertEquals("s3://shows/concat-staging/ep-1/cover.jpg", plan.request().metadata().cover());
  }

  @Test
  void aLocalCoverInTheManifestIsRelativeToItsFolder() throws IOException {
    Files.createDirectories(dir.resolve("art"));
    Files.writeString(dir.resolve("art/cover.png"), "png");
    Path manifest = dir.resolve("job.json");
    Files.writeString(
        manifest,
        """
        {"jobId": "ep-2", "segments": ["s3://raw/a.mp3"], "output": "s3://shows/ep-2.m4a",
         "metadata": {"title": "Two", "cover": "art/cover.png"}}
        """);

    SubmitPlan plan = plan("--manifest", manifest.toString());

    assertEquals(List.of(), plan.problems());
    assertEquals(dir.resolve("art/cover.png"), plan.cover().file());
    assertEquals(
        new EpisodeMetadata("Two", null, null, null, "s3://shows/concat-staging/ep-2/cover.png"),
        plan.request().metadata());
  }

  @Test
  void aCoverFlagIsRelativeToTheWorkingDirectoryEvenWithAManifest() throws IOException {
    Path manifest = dir.resolve("job.json");
    Files.writeString(
        manifest,
        """
        {"jobId": "ep-3", "segments": ["s3://raw/a.mp3"], "output": "s3://shows/ep-3.mp3"}
        """);
    // Maven runs tests in the module's folder, which always holds a pom.xml; this one must not be
    // picked.
    Files.writeString(dir.resolve("pom.xml"), "not the one in the working directory");

    SubmitPlan plan = plan("--manifest", manifest.toString(), "--cover", "pom.xml");

    assertEquals(Path.of("pom.xml").toAbsolutePath(), plan.cover().file());
    assertNull(plan.request().metadata().title());
  }

  /** One in-process run of the CLI, its stderr captured. */
  private record Run(int exitCode, String err) {
    static Run of(String... args) {
      var out = new ByteArrayOutputStream();
      var err = new ByteArrayOutputStream();
      try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
          var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        int exitCode =
            ConcatCli.run(new ConcatCli.Console(outStream, errStream, Map.of(), false), args);
        return new Run(exitCode, err.toString(StandardCharsets.UTF_8));
      }
    }
  }
}
