package dev.concat.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.ExitCodes;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.audio.MeasuredAudio;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A completed job's result as people and scripts read it, with and without the measured audio. */
class StatusTextTest {
  private static final MeasuredAudio PODCAST =
      new MeasuredAudio("mp3", 44_100, 2, 128_000, 1800.5, -16.0, -1.23, 3.14, 4, 5.3);

  private static ConcatStatus completed(MeasuredAudio audio) {
    ConcatResult result =
        new ConcatResult(
            "s3://shows/ep-1.mp3", 1800.5, 28_800_000, "reencode", 2.0, 30.0, 1.0, audio);
    return new ConcatStatus(
        "ep-1",
        JobState.COMPLETED,
        3,
        3,
        3,
        28_800_000,
        "2025-01-01T00:00:00Z",
        "2025-01-01T00:01:00Z",
        1,
        "1@host",
        null,
        result);
  }

  @Test
  void theTableShowsTheMeasuredAudioOnOneLine() {
    String table = StatusFormat.table(completed(PODCAST));

    assertTrue(
        table.contains(
            "audio          mp3, 44100 Hz, stereo, 128 kb/s; -16.0 LUFS, -1.2 dBTP, LRA 3.1 LU; "
                + "4 chapters; gain +5.3 dB"
                + System.lineSeparator()),
        table);
  }

  @Test
  void chaptersAndGainAreLeftOutWhenThereAreNone() {
    MeasuredAudio plain =
        new MeasuredAudio("aac", 48_000, 1, 96_400, 60.0, -19.04, -3.0, 0.0, 0, null);

    assertEquals(
        "aac, 48000 Hz, mono, 96 kb/s; -19.0 LUFS, -3.0 dBTP, LRA 0.0 LU",
        StatusFormat.audio(plain));
    assertEquals(
        "mp3, 44100 Hz, 6 channels; -16.0 LUFS, -1.0 dBTP, LRA 2.0 LU; 1 chapter; gain -2.5 dB",
        StatusFormat.audio(
            new MeasuredAudio("mp3", 44_100, 6, 0, 60.0, -16.0, -1.0, 2.0, 1, -2.5)));
  }

  @Test
  void aResultWithoutMeasuredAudioPrintsNothingMore() {
    String table = StatusFormat.table(completed(null));

    assertTrue(table.contains("mode           reencode"), table);
    assertFalse(table.contains("audio"), table);
    assertTrue(
        table.lines().toList().get(table.lines().toList().size() - 1).startsWith("phases"), table);
  }

  @Test
  void theJsonCarriesTheMeasuredAudio() {
    String json = StatusFormat.json(completed(PODCAST));

    assertTrue(
        json.contains(
            "\"audio\":{\"codec\":\"mp3\",\"sampleRate\":44100,\"channels\":2,\"bitRate\":128000"),
        json);
    assertTrue(json.contains("\"integratedLufs\":-16.0"), json);
    assertTrue(json.contains("\"truePeakDb\":-1.23"), json);
    assertTrue(json.contains("\"gainDb\":5.3"), json);
  }

  @Test
  void theJsonOfAnOlderResultHasANullAudio() {
    assertTrue(StatusFormat.json(completed(null)).contains("\"audio\":null"));
  }

  @Test
  void theReportOfACompletedJobAddsTheAudioLine() {
    Printed printed = Printed.report(completed(PODCAST));

    assertEquals(ExitCodes.OK, printed.exitCode());
    assertEquals(
        List.of(
            "job ep-1 completed: s3://shows/ep-1.mp3",
            "audio: mp3, 44100 Hz, stereo, 128 kb/s; -16.0 LUFS, -1.2 dBTP, LRA 3.1 LU; 4 chapters; gain +5.3 dB"),
        printed.err().lines().toList());
    assertTrue(printed.out().contains("\"integratedLufs\":-16.0"), printed.out());
  }

  @Test
  void theReportOfAnOlderResultIsOneSentence() {
    Printed printed = Printed.report(completed(null));

    assertEquals(
        List.of("job ep-1 completed: s3://shows/ep-1.mp3"), printed.err().lines().toList());
  }

  private record Printed(int exitCode, String out, String err) {
    static Printed report(ConcatStatus status) {
      var out = new ByteArrayOutputStream();
      var err = new ByteArrayOutputStream();
      try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
          var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        int exitCode = JobReport.print(status, outStream, errStream);
        return new Printed(
            exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      }
    }
  }
}
