package dev.concat.activities.loudness;

import java.util.List;

/**
 * What a chunk contributes to the programme's loudness measurement: its gating blocks and the true
 * peak of the samples it owns. Merged over all chunks it is the measurement of the whole.
 *
 * @param blocks the gating blocks (and short-term windows) ending in the chunk
 * @param truePeak the highest 4x oversampled magnitude, linear (1.0 = full scale; 0 for silence,
 *     which a payload can carry where minus infinity dBTP cannot)
 */
public record ChunkLoudness(GatingBlocks blocks, double truePeak) {

  /**
   * All chunks' measurement as one.
   *
   * @throws IllegalArgumentException when the chunks leave out or repeat a gating block
   */
  public static ChunkLoudness merged(List<ChunkLoudness> chunks) {
    return new ChunkLoudness(
        GatingBlocks.merged(chunks.stream().map(ChunkLoudness::blocks).toList()),
        chunks.stream().mapToDouble(ChunkLoudness::truePeak).max().orElse(0));
  }

  public double integratedLufs() {
    return blocks.integratedLufs();
  }

  public double loudnessRangeLu() {
    return blocks.loudnessRangeLu();
  }

  /** The true peak in dBTP; negative infinity for silence. */
  public double truePeakDb() {
    return 20 * Math.log10(truePeak);
  }
}
