package dev.concat.activities.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.UnusableAudioException;
import dev.concat.activities.testing.IndependentMeter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A programme measured in chunks, each from its own file with a pre-roll, merged, reads as the
 * whole programme does to FFmpeg's ebur128 and to pyloudnorm ({@link IndependentMeter}). Chunk
 * edges fall between the 100 ms steps, so blocks straddle them.
 */
class ChunkedLoudnessTest {
  /** How far the merged integrated loudness may lie from a whole-file meter's. */
  static final double INTEGRATED_TOLERANCE_LU = 0.01;

  static final String SPEECH =
      "0.4*sin(2*PI*180*t+3*sin(2*PI*5*t))*pow(sin(2*PI*2.3*t),2)*lt(mod(t,3.1),1.9)"
          + "+0.02*(random(0)-0.5)|0.3*sin(2*PI*240*t)*pow(sin(2*PI*1.7*t),2)*lt(mod(t+1,2.9),2.1)";

  /**
   * Parts at -9, -29 and -17 dBFS with silence between, then a quiet part the relative gate drops.
   */
  static final String TONES =
      "0.5*sin(2*PI*440*t)*lt(t,3)+0.05*sin(2*PI*1000*t)*between(t,3,5.5)"
          + "+0.2*sin(2*PI*3000*t)*between(t,6,9)+0.01*sin(2*PI*100*t)*gte(t,9)";

  static final String NOISE =
      "(random(0)-0.5)*(0.5*lt(t,4)+0.08*gte(t,4))|(random(1)-0.5)*(0.3*lt(t,8)+0.05*gte(t,8))";

  /**
   * Noise as a lossy encoder leaves it, without its top octave: on full-band noise the true peak
   * depends on how far towards Nyquist each meter's interpolator passes (see {@link TruePeak}).
   */
  static final String CODEC_BAND = "lowpass=f=16000:poles=2";

  static final int SECONDS = 12;
  static final ProcessLauncher LAUNCHER = new ProcessLauncher(Map.of());
  static final ChunkLoudnessMeter METER = new ChunkLoudnessMeter(Path.of("ffmpeg"), LAUNCHER);

  @TempDir Path temp;

  @ParameterizedTest(name = "{0} at {1} Hz, pre-roll {3} ms, edges {2}")
  @CsvSource({
    "SPEECH, 48000, 0 130017 271113 420999 576000, 3100",
    "TONES, 44100, 0 176401 352807 529200, 3100",
    "NOISE, 48000, 0 100003 230001 330555 450001 576000, 3100",
    "SPEECH, 44100, 0 150007 290011 400019 529200, 450"
  })
  void mergedChunksMeasureAsTheWholeProgramme(
      String programme, int rate, String edges, int preRollMillis) throws Exception {
    Path whole =
        ChunkedProgramme.generate(
            temp.resolve("whole.wav"),
            expression(programme),
            programme.equals("NOISE") ? CODEC_BAND : "anull",
            rate,
            SECONDS);
    var chunked =
        ChunkedProgramme.cut(
            whole, rate, edges(edges), rate * (long) preRollMillis / 1000, rate / 2, temp);
    ChunkLoudness merged = ChunkLoudness.merged(measure(chunked));
    ChunkLoudness onePass = METER.measure(whole, new ChunkSpan(0, 0, rate * (long) SECONDS));
    IndependentMeter independent = IndependentMeter.measure(whole);
    double ffmpeg = chunked.ffmpegIntegratedLufs();
    System.out.printf(
        "%s %d Hz: chunked I %.4f, one pass %.4f, FFmpeg %.3f, pyloudnorm %.4f; "
            + "true peak %.4f vs %.4f dB; LRA %.3f vs %.3f LU%n",
        programme,
        rate,
        merged.integratedLufs(),
        onePass.integratedLufs(),
        ffmpeg,
        independent.integratedLufs(),
        merged.truePeakDb(),
        independent.truePeakDb(),
        merged.loudnessRangeLu(),
        independent.loudnessRangeLu());

    assertEquals(
        onePass.blocks().blockCount(), merged.blocks().blockCount(), "every block counted once");
    assertEquals(
        onePass.integratedLufs(), merged.integratedLufs(), 0.0001, "vs the same meter in one pass");
    assertEquals(
        independent.integratedLufs(),
        merged.integratedLufs(),
        INTEGRATED_TOLERANCE_LU,
        "vs pyloudnorm");
    assertEquals(ffmpeg, merged.integratedLufs(), INTEGRATED_TOLERANCE_LU, "vs FFmpeg's ebur128");
    assertEquals(
        independent.truePeakDb(),
        merged.truePeakDb(),
        0.05,
        "true peak vs pyloudnorm's 4x resampling");
    if (preRollMillis >= 3000) {
      assertEquals(
          independent.loudnessRangeLu(),
          merged.loudnessRangeLu(),
          0.05,
          "loudness range vs EBU Tech 3342");
    } else {
      assertTrue(
          Double.isNaN(merged.loudnessRangeLu()),
          "no loudness range from chunks without 3 s of pre-roll");
    }
  }

  /**
   * Loud bursts centred on the chunk edges over a quiet bed: the blocks across an edge are the
   * loudest, so a merge that drops them, or counts them in both chunks, misses the tolerance.
   */
  @Test
  void aMergeThatDropsOrRepeatsTheBlocksAcrossAnEdgeMissesTheTolerance() throws Exception {
    int rate = 48_000;
    long[] edges = {0, 145_440, 291_360, 437_280, 576_000};
    String bursts =
        "0.02*sin(2*PI*1000*t)+0.5*sin(2*PI*440*t)*(lt(abs(t-3.03),0.175)+lt(abs(t-6.07),0.175)"
            + "+lt(abs(t-9.11),0.175))";
    Path whole =
        ChunkedProgramme.generate(temp.resolve("bursts.wav"), bursts, "anull", rate, SECONDS);
    var chunked = ChunkedProgramme.cut(whole, rate, edges, rate / 2, rate / 2, temp);
    long straddle = 4 * (rate / 10) - 1;
    List<ChunkLoudness> dropping = new ArrayList<>();
    List<ChunkLoudness> repeating = new ArrayList<>();
    for (int i = 0; i < chunked.chunks().size(); i++) {
      ChunkSpan span = chunked.spans().get(i);
      boolean first = i == 0;
      boolean last = i == chunked.chunks().size() - 1;
      dropping.add(
          METER.measure(
              chunked.chunks().get(i),
              new ChunkSpan(
                  span.decodedStart(), first ? 0 : span.ownedStart() + straddle, span.ownedEnd())));
      repeating.add(
          METER.measure(
              chunked.chunks().get(i),
              new ChunkSpan(
                  span.decodedStart(),
                  span.ownedStart(),
                  last ? span.ownedEnd() : span.ownedEnd() + straddle)));
    }
    double right = ChunkLoudness.merged(measure(chunked)).integratedLufs();
    double independent = IndependentMeter.measure(whole).integratedLufs();
    double dropped = histogramOf(dropping).gatedLufs(GatingBlocks.RELATIVE_GATE_LU);
    double repeated = histogramOf(repeating).gatedLufs(GatingBlocks.RELATIVE_GATE_LU);
    System.out.printf(
        "bursts on edges: merged %.4f, pyloudnorm %.4f, dropping the blocks across edges %.4f, "
            + "counting them twice %.4f LUFS%n",
        right, independent, dropped, repeated);

    assertEquals(independent, right, INTEGRATED_TOLERANCE_LU);
    assertTrue(
        Math.abs(dropped - independent) > 10 * INTEGRATED_TOLERANCE_LU, "dropping is caught");
    assertTrue(
        Math.abs(repeated - independent) > 10 * INTEGRATED_TOLERANCE_LU, "repeating is caught");
    assertThrows(
        IllegalArgumentException.class,
        () -> ChunkLoudness.merged(dropping),
        "a gap in the blocks");
    assertThrows(
        IllegalArgumentException.class,
        () -> ChunkLoudness.merged(repeating),
        "an overlap in the blocks");
  }

  @Test
  void aChunkWhosePreRollIsShorterThanABlockIsRefused() {
    int rate = 44_100;
    Path whole =
        ChunkedProgramme.generate(
            temp.resolve("short.wav"), "0.3*sin(2*PI*500*t)", "anull", rate, 2);
    // The file holds the programme from 10 s (and a sample); the first block ending after 10.35 s
    // starts at 10 s.
    long start = 10L * rate + 1;
    var tooShort = new ChunkSpan(start, 10L * rate + rate * 35L / 100, start + 2L * rate);

    var refused = assertThrows(UnusableAudioException.class, () -> METER.measure(whole, tooShort));
    assertTrue(refused.getMessage().contains("pre-roll is too short"), refused.getMessage());
  }

  /** The chunks' blocks pooled without the merge's range check: the mistake a merge could make. */
  private static LoudnessHistogram histogramOf(List<ChunkLoudness> chunks) {
    return chunks.stream()
        .map(c -> c.blocks().loudness())
        .reduce(LoudnessHistogram::plus)
        .orElseThrow();
  }

  private List<ChunkLoudness> measure(ChunkedProgramme chunked) throws Exception {
    List<ChunkLoudness> chunks = new ArrayList<>();
    for (int i = 0; i < chunked.chunks().size(); i++) {
      chunks.add(METER.measure(chunked.chunks().get(i), chunked.spans().get(i)));
    }
    return chunks;
  }

  static long[] edges(String edges) {
    return java.util.Arrays.stream(edges.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
  }

  static String expression(String programme) {
    return switch (programme) {
      case "SPEECH" -> SPEECH;
      case "TONES" -> TONES;
      case "NOISE" -> NOISE;
      default -> throw new IllegalArgumentException(programme);
    };
  }
}
