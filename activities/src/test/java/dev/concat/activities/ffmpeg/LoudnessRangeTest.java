package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.activities.testing.Command;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loudness range as EBU Tech 3342 computes it: its gates, its percentile ranks, its compliance
 * signals.
 */
class LoudnessRangeTest {

  @Test
  void takesTheTenthAndNinetyFifthPercentilesAtTech3342sRanks() {
    // 20 values 0.5 LU apart: ranks round(19*0.10+1) = 3 and round(19*0.95+1) = 19. FFmpeg's
    // histogram takes ranks 2 and 19 and reads 8.5 LU.
    double[] shortTerm = IntStream.range(0, 20).mapToDouble(i -> -30 + 0.5 * i).toArray();

    assertEquals(8.0, LoudnessRange.of(shortTerm), 1e-9);
  }

  @Test
  void leavesOutSilenceAndWhatLiesTwentyLuBelowTheMeanPower() {
    // The mean power of what passes the absolute gate is near -23.1 LUFS: -45 is below the relative
    // gate.
    double[] shortTerm = {Double.NEGATIVE_INFINITY, Double.NaN, -75, -45, -20, -21, -22, -45};

    assertEquals(2.0, LoudnessRange.of(shortTerm), 1e-9);
  }

  @Test
  void silenceHasNoRange() {
    assertEquals(0.0, LoudnessRange.of(new double[] {Double.NEGATIVE_INFINITY, Double.NaN, -80}));
  }

  /**
   * Tech 3342's minimum-requirement signals 1 to 4: 1 kHz stereo tones of 20 s each at the given
   * dBFS levels, through FFmpeg's meter and this range. The specification accepts ±1 LU; the
   * windows that straddle a level change are the only ones between the levels.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {"-20 -30; 10", "-20 -15; 5", "-40 -20; 20", "-50 -35 -20 -35 -50; 15"})
  void meetsTech3342sMinimumRequirements(String levels, double expected, @TempDir Path temp)
      throws Exception {
    Path log = temp.resolve("frames.txt");
    String[] dbfs = levels.split(" ");
    StringBuilder graph = new StringBuilder();
    for (int i = 0; i < dbfs.length; i++) {
      // lavfi's sine peaks at 1/8, -18.06 dBFS.
      graph.append(
          String.format(
              Locale.ROOT,
              "sine=f=1000:r=48000:d=20,volume=%.2fdB," + "aformat=channel_layouts=stereo[t%d];",
              Double.parseDouble(dbfs[i]) + 18.06,
              i));
    }
    for (int i = 0; i < dbfs.length; i++) {
      graph.append("[t").append(i).append(']');
    }
    graph
        .append("concat=n=")
        .append(dbfs.length)
        .append(":v=0:a=1,")
        .append(LoudnessSummary.filter(log));
    String stderr =
        Command.stderr(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-hide_banner",
                "-nostats",
                "-filter_complex",
                graph.toString(),
                "-f",
                "null",
                "-"));

    LoudnessSummary summary = LoudnessSummary.read(stderr, log);

    assertEquals(expected, summary.loudnessRangeLu(), 0.1, stderr);
  }
}
