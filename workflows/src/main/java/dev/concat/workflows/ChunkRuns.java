package dev.concat.workflows;

import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a staged encode's chunks into runs of consecutive chunks, one activity each. Every run
 * costs the history about six events (the activity's three and a workflow task's), so runs are
 * long: a 40-minute job makes 2 (its history stays under 100 events), a 10-hour job 30. Changing
 * {@link #RUN_LENGTH} changes the commands a job issues: it needs a new workflow version.
 */
final class ChunkRuns {
  /** About this much audio per run. */
  static final Duration RUN_LENGTH = Duration.ofMinutes(20);

  /** Chunks {@code from} to {@code to} (exclusive). */
  record Run(int from, int to) {}

  /** As many runs as {@link #RUN_LENGTH}s in the stream, with equal numbers of chunks (±1). */
  static List<Run> of(StagedChunks staged) {
    List<StagedChunk> chunks = staged.chunks();
    long frames = chunks.get(chunks.size() - 1).endFrame();
    long framesPerRun = RUN_LENGTH.toSeconds() * staged.sampleRate() / 1152;
    int count = (int) Math.min(chunks.size(), Math.max(1, ceilDiv(frames, framesPerRun)));
    List<Run> runs = new ArrayList<>();
    int from = 0;
    for (int r = 0; r < count; r++) {
      int size = chunks.size() / count + (r < chunks.size() % count ? 1 : 0);
      runs.add(new Run(from, from + size));
      from += size;
    }
    return runs;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private ChunkRuns() {}
}
