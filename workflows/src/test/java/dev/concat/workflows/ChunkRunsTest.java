package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.util.ArrayList;
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
    // 51 minutes: three runs (2.55 run lengths, rounded), of 17 chunks each; 49: two, of 25 and 24.
    assertEquals(
        List.of(new ChunkRuns.Run(0, 17), new ChunkRuns.Run(17, 34), new ChunkRuns.Run(34, 51)),
        ChunkRuns.of(minuteChunks(51)));
    assertEquals(
        List.of(new ChunkRuns.Run(0, 25), new ChunkRuns.Run(25, 49)),
        ChunkRuns.of(minuteChunks(49)));
  }

  @Test
  void aStreamALittleLongerThanWholeRunsMakesNoShortRunOfItsOwn() {
    // Two hours and the encoder's last frame: 6 runs of 20 chunks, not a seventh.
    StagedChunks twoHours = minuteChunks(120);
    List<StagedChunk> chunks = new ArrayList<>(twoHours.chunks());
    StagedChunk last = chunks.remove(119);
    chunks.add(
        new StagedChunk(
            119,
            last.inputKey(),
            last.outputKey(),
            last.firstFrame(),
            last.endFrame() + 1,
            last.inputSamples(),
            2,
            true));

    List<ChunkRuns.Run> runs =
        ChunkRuns.of(new StagedChunks(twoHours.prefix(), 48_000, 128, true, chunks, 20 * 60));

    assertEquals(6, runs.size());
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
