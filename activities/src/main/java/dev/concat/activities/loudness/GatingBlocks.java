package dev.concat.activities.loudness;

import java.util.Comparator;
import java.util.List;

/**
 * The 400 ms gating blocks of BS.1770-4 (100 ms apart) of a stretch of a programme, and its 3 s
 * short-term windows for the loudness range (EBU Tech 3342). Block k covers the programme's samples
 * [k * hop, (k + 4) * hop), hop being a tenth of a second, and belongs to the chunk holding its
 * last sample, so a block across a chunk edge is measured once, by the later chunk, from its
 * pre-roll. The short-term window ending with the same sample (window k - 26, covering 30 hops)
 * belongs to the same chunk. Blocks are kept as their global range and a {@link LoudnessHistogram};
 * chunks merge in order, and a merge that would skip or repeat a block fails, so the integrated
 * loudness of merged chunks is that of the whole programme.
 *
 * @param firstBlock the global index of the first block
 * @param blockCount how many consecutive blocks, including those at or below the absolute gate
 * @param loudness the blocks above the absolute gate
 * @param shortTerm the short-term windows above the absolute gate ending where the blocks end; null
 *     when they were not measured (a chunk with less than 3 s of pre-roll), and then in every merge
 */
public record GatingBlocks(
    long firstBlock, long blockCount, LoudnessHistogram loudness, LoudnessHistogram shortTerm) {
  /** BS.1770-4's relative gate, below the loudness of the blocks above the absolute gate. */
  static final double RELATIVE_GATE_LU = -10;

  public GatingBlocks {
    if (firstBlock < 0 || blockCount < 0 || loudness.windows() > blockCount) {
      throw new IllegalArgumentException(
          "blocks ["
              + firstBlock
              + ", +"
              + blockCount
              + ") with "
              + loudness.windows()
              + " above the gate");
    }
  }

  public long endBlock() {
    return firstBlock + blockCount;
  }

  /** The gating blocks of a whole programme of {@code samples}: one for each whole hop, less 3. */
  public static long count(long samples, int sampleRate) {
    return Math.max(0, samples / (sampleRate / 10) - (ChunkMeasurement.BLOCK_STEPS - 1));
  }

  /**
   * The blocks of all chunks, in any order.
   *
   * @throws IllegalArgumentException when the chunks leave out or repeat a block
   */
  public static GatingBlocks merged(List<GatingBlocks> chunks) {
    return chunks.stream()
        .sorted(Comparator.comparingLong(GatingBlocks::firstBlock))
        .reduce(GatingBlocks::followedBy)
        .orElseThrow(() -> new IllegalArgumentException("no chunks to merge"));
  }

  /** These blocks and the next chunk's, which must start where these end. */
  public GatingBlocks followedBy(GatingBlocks next) {
    if (next.firstBlock != endBlock()) {
      throw new IllegalArgumentException(
          "gating blocks ["
              + firstBlock
              + ", "
              + endBlock()
              + ") cannot be followed by ["
              + next.firstBlock
              + ", "
              + next.endBlock()
              + "): "
              + (next.firstBlock > endBlock() ? "a gap" : "an overlap"));
    }
    return new GatingBlocks(
        firstBlock,
        blockCount + next.blockCount,
        loudness.plus(next.loudness),
        shortTerm == null || next.shortTerm == null ? null : shortTerm.plus(next.shortTerm));
  }

  /** The integrated loudness (LUFS); negative infinity when no block is above the absolute gate. */
  public double integratedLufs() {
    return loudness.gatedLufs(RELATIVE_GATE_LU);
  }

  /**
   * The loudness range (LU) per EBU Tech 3342 ({@link LoudnessHistogram#loudnessRangeLu}); NaN when
   * the short-term windows were not measured.
   */
  public double loudnessRangeLu() {
    return shortTerm == null ? Double.NaN : shortTerm.loudnessRangeLu();
  }
}
