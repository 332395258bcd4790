package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AacChunkGridTest {

  @Test
  void chunksTileTheStreamOnTheFrameGridWithTenSecondsOfPreRoll() {
    long samples = 48_000L * 600 + 17;
    var grid = new AacChunkGrid(samples, 48_000);
    List<AacChunk> chunks = grid.chunks(Duration.ofSeconds(60));

    assertEquals((samples + 1024 + 1023) / 1024, grid.frameCount());
    assertEquals(samples + 1024 - (grid.frameCount() - 1) * 1024, grid.lastFrameSamples());
    assertEquals(469, grid.preRoll(), "10 s at 48 kHz, in whole frames");
    assertEquals(0, chunks.get(0).firstFrame());
    assertEquals(grid.frameCount(), chunks.get(chunks.size() - 1).endFrame());
    for (int c = 0; c < chunks.size(); c++) {
      AacChunk chunk = chunks.get(c);
      assertEquals(0, chunk.inputStart() % 1024, "input starts on the frame grid");
      assertEquals(chunk.firstFrame() - chunk.inputStart() / 1024, chunk.framesToDrop());
      assertEquals(c == 0 ? 0 : grid.preRoll(), chunk.framesToDrop(), "pre-roll after the first");
      assertEquals(c == chunks.size() - 1, chunk.last());
      assertEquals(
          chunk.last() ? samples : (chunk.endFrame() + 2) * 1024,
          chunk.inputEnd(),
          "post-roll, clipped");
      assertEquals(Math.max(0, chunk.firstFrame() * 1024 - 1024), chunk.ownedStart());
      assertTrue(chunk.meteredSpan(chunk.inputStart(), 48_000).isEmpty(), "measured whole");
      if (c > 0) {
        assertEquals(chunks.get(c - 1).endFrame(), chunk.firstFrame(), "no gap, no overlap");
      }
      if (!chunk.last()) {
        assertEquals(60, chunk.ownFrames() * 1024.0 / 48_000, 0.03, "the asked length");
      }
    }
  }

  @Test
  void aJoinShorterThanOneChunkIsOneChunkWithNoPreRoll() {
    var grid = new AacChunkGrid(1_000, 8_000);
    List<AacChunk> chunks = grid.chunks(Duration.ofSeconds(60));

    assertEquals(List.of(new AacChunk(0, 0, 2, 0, 1_000, 0, true)), chunks);
    assertEquals(1_000 + 1024 - 1024, grid.lastFrameSamples());
  }
}
