package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ebur128 summary as FFmpeg 5.1 prints it and the frame log it writes, from fixed text and from
 * real runs over lavfi audio.
 */
class LoudnessSummaryTest {
  private static final R128FrameLog NO_FRAMES = new R128FrameLog(new double[0], null, null);

  private static final String SUMMARY =
      """
      [Parsed_ebur128_0 @ 0x556ba0664880] Summary:

        Integrated loudness:
          I:         -22.2 LUFS
          Threshold: -32.2 LUFS

        Loudness range:
          LRA:         0.1 LU
          Threshold: -42.2 LUFS
          LRA low:   -22.3 LUFS
          LRA high:  -22.2 LUFS

        True peak:
          Peak:      -21.5 dBFS
      """;

  @Test
  void readsIntegratedLoudnessTruePeakAndRange() {
    String stderr = "size=N/A time=00:00:10.00 bitrate=N/A speed= 234x\n" + SUMMARY;

    assertEquals(new LoudnessSummary(-22.2, -21.5, 0.1), LoudnessSummary.parse(stderr, NO_FRAMES));
  }

  @Test
  void usesTheLastSummaryAndIgnoresTheLinesAfterIt() {
    String first = SUMMARY.replace("-21.5 dBFS", "-1.0 dBFS");
    String last =
        SUMMARY.replace("Parsed_ebur128_0", "Parsed_ebur128_1").replace("-21.5 dBFS", "-3.0 dBFS");
    String stderr = first + last + "[out#0 @ 0x55] video:0kB audio:938kB\n  Peak: 9.9 dBFS\n";

    assertEquals(new LoudnessSummary(-22.2, -3.0, 0.1), LoudnessSummary.parse(stderr, NO_FRAMES));
  }

  @Test
  void theFrameLogsThreeDecimalValuesRefineTheRoundedSummary(@TempDir Path temp) throws Exception {
    String frame =
        """
        frame:99   pts:475200  pts_time:9.9
        lavfi.r128.M=-21.000
        lavfi.r128.S=%s
        lavfi.r128.I=%s
        lavfi.r128.LRA=0.140
        lavfi.r128.true_peaks_ch0=0.084
        lavfi.r128.true_peak=0.084
        """;
    Path log = temp.resolve("frames.txt");
    Files.writeString(
        log,
        frame.formatted("-inf", "-30.000")
            + frame.formatted("nan", "-30.000")
            + frame.formatted("-22.100", "-30.000")
            + frame.formatted("-22.300", "-22.250"));

    LoudnessSummary summary = LoudnessSummary.read("video:0kB audio:938kB\n" + SUMMARY, log);

    assertEquals(-22.25, summary.integratedLufs(), 1e-9);
    assertEquals(0.2, summary.loudnessRangeLu(), 1e-9, "from S, not from lavfi.r128.LRA");
    // The summary's -21.5 allows -21.55 to -21.45, the log's 0.084 allows 0.0835 to 0.0845: their
    // overlap's middle.
    assertEquals((-21.55 + 20 * Math.log10(0.0845)) / 2, summary.truePeakDb(), 1e-9);
  }

  @Test
  void aTruePeakInTheLastPartialFrameIsTheSummarys() {
    // The frames end at the last full 100 ms; a louder peak after that is only in the summary.
    var frames = new R128FrameLog(new double[0], null, 0.009);

    assertEquals(
        -4.0,
        LoudnessSummary.parse(SUMMARY.replace("-21.5 dBFS", "-4.0 dBFS"), frames).truePeakDb());
  }

  @Test
  void theFrameLogFilterTakesAPathThatFfmpegWouldOtherwiseSplit(@TempDir Path temp)
      throws Exception {
    Path log = Files.createDirectories(temp.resolve("a:b,c;d[e]'f")).resolve("frames.txt");

    LoudnessSummary summary =
        LoudnessSummary.read(
            ffmpegStderr("sine=f=1000:sample_rate=48000:d=4", LoudnessSummary.filter(log)), log);

    assertTrue(Files.size(log) > 0);
    assertEquals(-18.06 - 3.01, summary.integratedLufs(), 0.02);
  }

  /**
   * lavfi's sine has amplitude 1/8 (-18.06 dBFS); {@code volume} scales it. BS.1770 defines a
   * full-scale 1 kHz sine in one channel as -3.01 LUFS, so I is the peak minus 3.01 dB, and a
   * steady tone has no loudness range.
   */
  @ParameterizedTest
  @CsvSource({"4, -6.02", "1, -18.06", "0.25, -30.10"})
  void measuresASineAtKnownLevels(double volume, double peakDb, @TempDir Path temp)
      throws Exception {
    Path log = temp.resolve("frames.txt");
    String stderr =
        ffmpegStderr(
            "sine=f=1000:sample_rate=48000:d=10",
            "volume=" + volume + "," + LoudnessSummary.filter(log));

    LoudnessSummary summary = LoudnessSummary.read(stderr, log);

    assertEquals(peakDb - 3.01, summary.integratedLufs(), 0.02, stderr);
    assertEquals(peakDb, summary.truePeakDb(), 0.02, stderr);
    assertEquals(0.0, summary.loudnessRangeLu(), 0.02, stderr);
  }

  @Test
  void silenceIsTheAbsoluteGateWithNoPeak(@TempDir Path temp) throws Exception {
    Path log = temp.resolve("frames.txt");
    String stderr = ffmpegStderr("anullsrc=r=48000:cl=stereo:d=5", LoudnessSummary.filter(log));

    LoudnessSummary summary = LoudnessSummary.read(stderr, log);

    assertEquals(-70.0, summary.integratedLufs());
    assertEquals(Double.NEGATIVE_INFINITY, summary.truePeakDb());
    assertEquals(0.0, summary.loudnessRangeLu());
  }

  @Test
  void aRunWithoutTheMeterIsRejectedWithAnExcerpt() throws Exception {
    String stderr = ffmpegStderr("sine=d=1", "volume=1");

    var e =
        assertThrows(
            IllegalArgumentException.class, () -> LoudnessSummary.parse(stderr, NO_FRAMES));
    assertTrue(
        e.getMessage().contains("no ebur128 summary") && e.getMessage().contains("audio:"),
        e.getMessage());
  }

  @Test
  void aMeterWithoutTruePeakIsRejectedNamingTheMissingValue() throws Exception {
    String stderr = ffmpegStderr("sine=d=1", "ebur128");

    var e =
        assertThrows(
            IllegalArgumentException.class, () -> LoudnessSummary.parse(stderr, NO_FRAMES));
    assertTrue(e.getMessage().startsWith("no true peak in the ebur128 summary: ["), e.getMessage());
    assertTrue(e.getMessage().contains("I:"), e.getMessage());
  }

  @Test
  void aTruncatedSummaryIsRejected() {
    String cut = SUMMARY.substring(0, SUMMARY.indexOf("  Loudness range:"));

    var e =
        assertThrows(IllegalArgumentException.class, () -> LoudnessSummary.parse(cut, NO_FRAMES));
    assertTrue(e.getMessage().startsWith("no true peak"), e.getMessage());
  }

  /**
   * Runs {@code source} through {@code filter} into the null muxer at log level info and returns
   * stderr.
   */
  private static String ffmpegStderr(String source, String filter) {
    return Command.stderr(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-f",
            "lavfi",
            "-i",
            source,
            "-af",
            filter,
            "-f",
            "null",
            "-"));
  }
}
