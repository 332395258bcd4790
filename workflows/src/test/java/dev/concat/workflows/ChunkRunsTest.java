package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkRunsTest {

  @Test
  void fortyMinutesOfOneMinuteChunksMakeTwoRunsOfTwenty() {
    assertEquals(
        List.of(new ChunkRuns.Run(0, 20), new ChunkRuns.Run(20, 40)),
        ChunkRuns.of(minuteChunks(40)));
  }

  @Test
  void tenHoursMakeThirtyRunsThatCoverEveryChunkOnceInOrder() {
    List<ChunkRuns.Run> runs = ChunkRuns.of(minuteChunks(600));

    assertEquals(30, runs.size());
    int next = 0;
    for (ChunkRuns.Run run : runs) {
      assertEquals(next, run.from());
      assertEquals(20, run.to() - run.from());
      next = run.to();
    }
    assertEquals(600, next);
  }

  @Test
  void aShortJobIsOneRunAndUnevenCountsDifferByOneAtMost() {
    assertEquals(List.of(new ChunkRuns.Run(0, 3)), ChunkRuns.of(minuteChunks(3)));
    // 41 minutes: three runs, of 14, 14 and 13 chunks.
    assertEquals(
        List.of(new ChunkRuns.Run(0, 14), new ChunkRuns.Run(14, 28), new ChunkRuns.Run(28, 41)),
        ChunkRuns.of(minuteChunks(41)));
  }

  /** Chunks of one minute at 48 kHz (2,500 frames of 1,152 samples). */
  private static StagedChunks minuteChunks(int count) {
    long frames = 2_500;
    List<StagedChunk> chunks =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    new StagedChunk(
                        i,
                        "in-" + i,
                        "out-" + i,
                        i * frames,
                        (i + 1) * frames,
                        frames * 1152,
                        2,
                        i == count - 1))
            .toList();
    return new StagedChunks("s3://b/.concat-staging/j/", 48_000, 128, true, chunks, 20 * 60);
  }
}
