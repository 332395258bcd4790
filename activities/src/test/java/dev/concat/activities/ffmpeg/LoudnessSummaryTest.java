package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ebur128 summary as FFmpeg 5.1 prints it, from fixed text and from real runs over lavfi audio. */
class LoudnessSummaryTest {
  private static final String SUMMARY = """
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

    assertEquals(new LoudnessSummary(-22.2, -21.5, 0.1), LoudnessSummary.parse(stderr));
  }

  @Test
  void usesTheLastSummaryAndIgnoresTheLinesAfterIt() {
    String first = SUMMARY.replace("-21.5 dBFS", "-1.0 dBFS");
    String last = SUMMARY.replace("Parsed_ebur128_0", "Parsed_ebur128_1").replace("-21.5 dBFS", "-3.0 dBFS");
    String stderr = first + last + "[out#0 @ 0x55] video:0kB audio:938kB\n  Peak: 9.9 dBFS\n";

    assertEquals(new LoudnessSummary(-22.2, -3.0, 0.1), LoudnessSummary.parse(stderr));
  }

  @Test
  void theLastFramesThreeDecimalValuesRefineTheRoundedSummary() {
    String frame = """
        [Parsed_ametadata_1 @ 0x5] frame:99   pts:475200  pts_time:9.9
        [Parsed_ametadata_1 @ 0x5] lavfi.r128.I=-22.250
        [Parsed_ametadata_1 @ 0x5] lavfi.r128.LRA=0.140
        [Parsed_ametadata_1 @ 0x5] lavfi.r128.true_peak=0.084
        """;
    String stderr = frame.replace("-22.250", "-30.000") + frame + "video:0kB audio:938kB\n" + SUMMARY;

    LoudnessSummary summary = LoudnessSummary.parse(stderr);

    assertEquals(-22.25, summary.integratedLufs(), 1e-9);
    assertEquals(0.14, summary.loudnessRangeLu(), 1e-9);
    assertEquals(20 * Math.log10(0.084), summary.truePeakDb(), 1e-9);
  }

  @Test
  void aTruePeakInTheLastPartialFrameIsTheSummarys() {
    // The frames end at the last full 100 ms; a louder peak after that is only in the summary.
    String stderr = "[Parsed_ametadata_1 @ 0x5] lavfi.r128.true_peak=0.009\n" + SUMMARY.replace("-21.5 dBFS", "-4.0 dBFS");

    assertEquals(-4.0, LoudnessSummary.parse(stderr).truePeakDb());
  }

  /**
   * lavfi's sine has amplitude 1/8 (-18.06 dBFS); {@code volume} scales it. BS.1770 defines a
   * full-scale 1 kHz sine in one channel as -3.01 LUFS, so I is the peak minus 3.01 dB, and a
   * steady tone has no loudness range.
   */
  @ParameterizedTest
  @CsvSource({"4, -6.02", "1, -18.06", "0.25, -30.10"})
  void measuresASineAtKnownLevels(double volume, double peakDb) throws Exception {
    String stderr =
        ffmpegStderr("sine=f=1000:sample_rate=48000:d=10", "volume=" + volume + "," + LoudnessSummary.FILTER);

    LoudnessSummary summary = LoudnessSummary.parse(stderr);

    assertEquals(peakDb - 3.01, summary.integratedLufs(), 0.02, stderr);
    assertEquals(peakDb, summary.truePeakDb(), 0.02, stderr);
    assertEquals(0.0, summary.loudnessRangeLu(), 0.02, stderr);
  }

  @Test
  void silenceIsTheAbsoluteGateWithNoPeak() throws Exception {
    String stderr = ffmpegStderr("anullsrc=r=48000:cl=stereo:d=5", LoudnessSummary.FILTER);

    LoudnessSummary summary = LoudnessSummary.parse(stderr);

    assertEquals(-70.0, summary.integratedLufs());
    assertEquals(Double.NEGATIVE_INFINITY, summary.truePeakDb());
  }

  @Test
  void aRunWithoutTheMeterIsRejectedWithAnExcerpt() throws Exception {
    String stderr = ffmpegStderr("sine=d=1", "volume=1");

    var e = assertThrows(IllegalArgumentException.class, () -> LoudnessSummary.parse(stderr));
    assertTrue(e.getMessage().contains("no ebur128 summary") && e.getMessage().contains("audio:"), e.getMessage());
  }

  @Test
  void aMeterWithoutTruePeakIsRejectedNamingTheMissingValue() throws Exception {
    String stderr = ffmpegStderr("sine=d=1", "ebur128");

    var e = assertThrows(IllegalArgumentException.class, () -> LoudnessSummary.parse(stderr));
    assertTrue(e.getMessage().startsWith("no true peak in the ebur128 summary: ["), e.getMessage());
    assertTrue(e.getMessage().contains("I:"), e.getMessage());
  }

  @Test
  void aTruncatedSummaryIsRejected() {
    String cut = SUMMARY.substring(0, SUMMARY.indexOf("  Loudness range:"));

    var e = assertThrows(IllegalArgumentException.class, () -> LoudnessSummary.parse(cut));
    assertTrue(e.getMessage().startsWith("no true peak"), e.getMessage());
  }

  /** Runs {@code source} through {@code filter} into the null muxer at log level info and returns stderr. */
  private static String ffmpegStderr(String source, String filter) {
    return Command.stderr(List.of("ffmpeg", "-nostdin", "-hide_banner", "-nostats",
        "-f", "lavfi", "-i", source, "-af", filter, "-f", "null", "-"));
  }
}
