package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.loudness.ChunkSpan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkGridTest {

  @Test
  void chunksTileTheStreamAndEveryEncoderStartsOnThePaddingPeriod() {
    long samples = 44_100L * 600 + 17;
    var grid = new ChunkGrid(samples, 44_100, 128);
    List<Mp3Chunk> chunks = grid.chunks(Duration.ofSeconds(60));

    assertEquals((samples + 1105 + 1151) / 1152, grid.frameCount());
    assertEquals(49, grid.paddingPeriod(), "128 kb/s at 44.1 kHz: 417 47/49 bytes a frame");
    assertEquals(0, chunks.get(0).firstFrame());
    assertEquals(grid.frameCount(), chunks.get(chunks.size() - 1).endFrame());
    for (int c = 0; c < chunks.size(); c++) {
      Mp3Chunk chunk = chunks.get(c);
      long encoderStart = chunk.inputStart() / 1152;
      assertEquals(0, chunk.inputStart() % 1152, "input starts on the frame grid");
      assertEquals(0, encoderStart % 49, "encoder " + c + " starts on the padding period");
      assertEquals(chunk.firstFrame() - encoderStart, chunk.framesToDrop());
      assertEquals(
          c == 0 ? 0 : grid.preRoll(), chunk.framesToDrop(), "pre-roll after the first chunk");
      assertEquals(c == chunks.size() - 1, chunk.last());
      assertEquals(
          chunk.last() ? samples : (chunk.endFrame() + 2) * 1152,
          chunk.inputEnd(),
          "post-roll, clipped");
      if (c > 0) {
        assertEquals(chunks.get(c - 1).endFrame(), chunk.firstFrame(), "no gap, no overlap");
      }
      if (c > 0 && !chunk.last()) {
        assertEquals(60, chunk.ownFrames() * 1152.0 / 44_100, 1.0, "about the asked length");
      }
    }
  }

  /**
   * The pre-roll reaches back over 3.1 s of decoded audio before a chunk's first owned sample (the
   * short-term window ending there, and 100 ms for the meter's filter), at every MPEG-1 rate.
   */
  @Test
  void preRollCoversTheMetersReachBeforeTheChunk() {
    for (int rate : new int[] {32_000, 44_100, 48_000}) {
      int preRoll = new ChunkGrid(1, rate, 128).preRoll();
      long decodedBeforeChunk = preRoll * 1152L - 1105;
      assertTrue(decodedBeforeChunk >= 3.1 * rate, rate + " Hz: " + preRoll + " frames");
      assertTrue(decodedBeforeChunk < 3.4 * rate, rate + " Hz: no more than it needs");
    }
  }

  /**
   * The chunks' metered spans tile the programme, each starting with its encoder's input; a chunk
   * staged by a host of an earlier version (2 frames of pre-roll) has none.
   */
  @Test
  void meteredSpansTileTheProgrammeAndNeedThePreRoll() {
    long samples = 44_100L * 200 + 5;
    List<Mp3Chunk> chunks = new ChunkGrid(samples, 44_100, 128).chunks(Duration.ofSeconds(60));
    long next = 0;
    for (Mp3Chunk chunk : chunks) {
      ChunkSpan span = chunk.meteredSpan(chunk.inputStart(), 44_100).orElseThrow();
      assertEquals(chunk.inputStart(), span.decodedStart(), "decoded from the encoder's input");
      assertEquals(next, span.ownedStart(), "chunk " + chunk.index() + " follows the one before");
      next = span.ownedEnd();
    }
    assertEquals(samples, next, "the last chunk owns the programme's end");
    var earlier = new Mp3Chunk(1, 100, 200, 98 * 1152, 202 * 1152, 2, false);
    assertEquals(Optional.empty(), earlier.meteredSpan(98 * 1152, 44_100));
  }

  @Test
  void paddingPeriodFollowsRateAndBitRate() {
    assertEquals(
        1, new ChunkGrid(1, 48_000, 128).paddingPeriod(), "288 and 384 bytes: whole frames");
    assertEquals(49, new ChunkGrid(1, 44_100, 96).paddingPeriod());
    assertEquals(1, new ChunkGrid(1, 32_000, 96).paddingPeriod(), "432 bytes a frame");
    assertEquals(49, new ChunkGrid(1, 44_100, 32).paddingPeriod(), "104 24/49 bytes a frame");
  }

  @Test
  void aShortSourceIsOneChunkWithItsFlush() {
    var grid = new ChunkGrid(1_000, 44_100, 128);
    List<Mp3Chunk> chunks = grid.chunks(Duration.ofSeconds(60));
    assertEquals(List.of(new Mp3Chunk(0, 0, 2, 0, 1_000, 0, true)), chunks);
    assertEquals(2 * 1152 - 576 - 1_000, grid.endPadding());
  }

  @Test
  void ratesWithHalfFramesAreRefused() {
    var refused =
        assertThrows(IllegalArgumentException.class, () -> new ChunkGrid(1_000, 22_050, 64));
    assertTrue(refused.getMessage().contains("22050"), refused.getMessage());
  }
}
