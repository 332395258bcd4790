package dev.concat.activities.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gating arithmetic checked against a direct computation over the block energies. */
class GatingBlocksTest {

  @Test
  void theHistogramGatesAsTheBlocksThemselvesDo() {
    var random = new Random(5);
    double[] energies = new double[20_000];
    for (int i = 0; i < energies.length; i++) {
      // Speech-like: mostly -16 +- 5 LUFS, a fifth near silence (under either gate).
      double lufs =
          random.nextDouble() < 0.2
              ? -75 + 20 * random.nextDouble()
              : -16 + 5 * random.nextGaussian();
      energies[i] = LoudnessHistogram.energy(lufs);
    }
    var blocks = new GatingBlocks(0, energies.length, LoudnessHistogram.of(energies), null);

    assertEquals(directIntegratedLufs(energies), blocks.integratedLufs(), 0.001);
  }

  @Test
  void chunksMergeInAnyOrderAndSurviveJson() throws Exception {
    var first =
        new GatingBlocks(
            0, 3, LoudnessHistogram.of(new double[] {1e-2, 2e-2, 1e-9}), LoudnessHistogram.EMPTY);
    var second = new GatingBlocks(3, 2, LoudnessHistogram.of(new double[] {3e-2, 1e-3}), null);
    var merged = GatingBlocks.merged(List.of(second, first));
    var mapper = new ObjectMapper();
    var read =
        mapper.readValue(
            mapper.writeValueAsString(new ChunkLoudness(merged, 0.5)), ChunkLoudness.class);

    assertEquals(5, read.blocks().blockCount());
    assertEquals(
        4, read.blocks().loudness().windows(), "the silent block is below the absolute gate");
    assertEquals(merged.integratedLufs(), read.integratedLufs());
    assertNull(
        read.blocks().shortTerm(),
        "a chunk without short-term windows leaves the range unmeasured");
    assertEquals(0.5, read.truePeak());
  }

  /** BS.1770-4 section 2.8 over the blocks one by one. */
  private static double directIntegratedLufs(double[] energies) {
    double gate = LoudnessHistogram.energy(-70);
    double sum = 0;
    int count = 0;
    for (double e : energies) {
      if (e > gate) {
        sum += e;
        count++;
      }
    }
    double relative = LoudnessHistogram.energy(LoudnessHistogram.lufs(sum / count) - 10);
    double gatedSum = 0;
    int gated = 0;
    for (double e : energies) {
      if (e > gate && e > relative) {
        gatedSum += e;
        gated++;
      }
    }
    return LoudnessHistogram.lufs(gatedSum / gated);
  }
}
