package dev.concat.app.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.jobs.SubmitPlan;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.OutputObject;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole request {@code concat submit} builds from its flags and manifest, field by field. */
class SubmitRequestTest {
  @TempDir Path dir;

  private static SubmitPlan plan(String... args) {
    SubmitCommand command = new SubmitCommand();
    new CommandLine(command).parseArgs(args);
    return command.plan();
  }

  @Test
  void flagsAloneMakeTheExpectedRequest() {
    SubmitPlan plan =
        plan(
            "--job-id",
            "ep-1",
            "--output",
            "s3://shows/ep-1.mp3",
            "--max-processing-minutes",
            "30",
            "--overwrite",
            "--bitrate",
            "192",
            "--loudness=-18",
            "--trim-silence",
            "--gap-ms",
            "500",
            "--title",
            "Pilot",
            "--episode",
            "1",
            "--chapter",
            "0=Intro",
            "--chapter",
            "1=Talk",
            "s3://raw/a.mp3",
            "s3://raw/b.mp3");

    assertEquals(List.of(), plan.problems());
    assertEquals(
        ConcatRequest.builder("ep-1")
            .segments(List.of("s3://raw/a.mp3", "s3://raw/b.mp3"))
            .output("s3://shows/ep-1.mp3")
            .timeouts(new JobTimeouts(1800L, null, null, null, null, null, null))
            .encoding(new Encoding(192, null, null))
            .loudness(new Loudness(-18.0, null))
            .trimSilence(new SilenceTrim(null))
            .gapMs(500)
            .metadata(new EpisodeMetadata("Pilot", null, null, 1, null))
            .chapters(List.of(new Chapter(0, "Intro"), new Chapter(1, "Talk")))
            .overwrite(true)
            .build(),
        plan.request());
  }

  @Test
  void flagsReplaceOnlyTheirFieldsOfAFullManifest() throws Exception {
    Path manifest =
        Files.writeString(
            dir.resolve("ep-7.json"),
            """
        {"jobId": "ep-7", "segments": ["s3://raw/intro.mp3", "s3://raw/talk.mp3"], "output": "s3://shows/ep-7.mp3",
         "allowStreamCopy": false,
         "timeouts": {"heartbeatSeconds": 20, "hostAttempts": 4},
         "encoding": {"bitrateKbps": 96, "sampleRate": 48000, "channels": 1},
         "loudness": {"integratedLufs": -14.0, "truePeakDb": -2.0},
         "trimSilence": {"thresholdDb": -40.0}, "gapMs": 0, "crossfadeMs": 200,
         "metadata": {"title": "Old", "artist": "Ann", "album": "The Show", "episode": 6, "cover": "s3://art/7.jpg"},
         "chapters": [{"firstSegment": 0, "title": "Hello"}],
         "outputObject": {"cacheControl": "max-age=60", "tags": {"show": "weekly"}}}
        """);

    SubmitPlan plan =
        plan(
            "--manifest",
            manifest.toString(),
            "--job-id",
            "ep-8",
            "--output",
            "s3://shows/ep-8.mp3",
            "--max-processing-minutes",
            "10",
            "--overwrite",
            "--channels",
            "2",
            "--title",
            "New");

    assertEquals(List.of(), plan.problems());
    assertEquals(
        ConcatRequest.builder("ep-8")
            .segments(List.of("s3://raw/intro.mp3", "s3://raw/talk.mp3"))
            .output("s3://shows/ep-8.mp3")
            .allowStreamCopy(false)
            .timeouts(new JobTimeouts(600L, 20L, null, null, null, null, 4))
            .encoding(new Encoding(96, 48000, 2))
            .loudness(new Loudness(-14.0, -2.0))
            .trimSilence(new SilenceTrim(-40.0))
            .gapMs(0)
            .crossfadeMs(200)
            .metadata(new EpisodeMetadata("New", "Ann", "The Show", 6, "s3://art/7.jpg"))
            .chapters(List.of(new Chapter(0, "Hello")))
            .overwrite(true)
            .outputObject(
                new OutputObject(
                    "max-age=60", null, null, null, null, Map.of("show", "weekly"), null, null))
            .build(),
        plan.request());
  }

  @Test
  void anInvalidRequestIsReportedWithoutReachingTemporal() {
    var err = new ByteArrayOutputStream();
    int exit;
    try (var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      // Nothing listens on port 1: a submit that connected first would fail on the connection
      // instead.
      exit =
          ConcatCli.run(
              new ConcatCli.Console(
                  out, errStream, Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1"), false),
              "submit",
              "--job-id",
              "ep-1",
              "--output",
              "s3://shows/ep-1.wav",
              "--gap-ms",
              "100",
              "--crossfade-ms",
              "100",
              "s3://raw/a.mp3");
    }

    String printed = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.USAGE, exit, printed);
    assertEquals(
        List.of(
            "invalid request: output 's3://shows/ep-1.wav' must end in .mp3 or .m4a",
            "invalid request: gapMs and crossfadeMs exclude each other (a pause or an overlap between segments); "
                + "set only one"),
        printed.lines().toList());
  }
}
