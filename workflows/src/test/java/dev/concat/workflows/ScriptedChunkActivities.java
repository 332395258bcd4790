package dev.concat.workflows;

import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ChunkTask;
import dev.concat.contract.StagedChunk;
import java.util.function.Function;

/**
 * A worker's chunk activities whose behaviour each test scripts. Records in {@link
 * ScriptedJobActivities#CALLS} "worker:encodeChunk:index" for each chunk of a run it is handed, and
 * "worker:deleteStaged:prefix".
 */
final class ScriptedChunkActivities implements ChunkActivities {
  private final String worker;
  Function<ChunkTask, ChunkEncoded> onEncode;

  ScriptedChunkActivities(String worker) {
    this.worker = worker;
    this.onEncode = task -> new ChunkEncoded(task.chunks().size(), 0, 1000, 0.1, worker);
  }

  @Override
  public ChunkEncoded encodeChunks(ChunkTask task) {
    for (StagedChunk chunk : task.chunks()) {
      ScriptedJobActivities.CALLS.add(worker + ":encodeChunk:" + chunk.index());
    }
    return onEncode.apply(task);
  }

  @Override
  public void deleteStaged(String jobId, String prefix) {
    ScriptedJobActivities.CALLS.add(worker + ":deleteStaged:" + prefix);
  }
}
