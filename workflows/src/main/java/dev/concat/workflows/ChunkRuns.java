package dev.concat.workflows;

import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a staged encode's chunks into runs of consecutive chunks, one activity each, of about
 * {@link StagedChunks#runSeconds()} of audio. Every run costs the history about six events (the
 * activity's three and a workflow task's): with the default 20 minutes a 40-minute job makes 2 runs
 * (its history stays under 100 events), a 10-hour job 30.
 */
final class ChunkRuns {

  /** Chunks {@code from} to {@code to} (exclusive). */
  record Run(int from, int to) {}

  /**
   * As many runs as whole run lengths in the stream, rounded (a 2-hour stream in 20-minute runs is
   * 6 runs, not 7 for the encoder's padding past the hour), with equal numbers of chunks (±1).
   */
  static List<Run> of(StagedChunks staged) {
    List<StagedChunk> chunks = staged.chunks();
    long frames = chunks.get(chunks.size() - 1).endFrame();
    long framesPerRun = Math.max(1, staged.runSeconds() * staged.sampleRate() / 1152);
    long rounded = (frames + framesPerRun / 2) / framesPerRun;
    int count = (int) Math.min(chunks.size(), Math.max(1, rounded));
    List<Run> runs = new ArrayList<>();
    int from = 0;
    for (int r = 0; r < count; r++) {
      int size = chunks.size() / count + (r < chunks.size() % count ? 1 : 0);
      runs.add(new Run(from, from + size));
      from += size;
    }
    return runs;
  }

  private ChunkRuns() {}
}
