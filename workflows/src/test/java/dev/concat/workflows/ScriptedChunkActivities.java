package dev.concat.workflows;

import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ChunkTask;
import java.util.function.Function;

/**
 * A worker's chunk activities whose behaviour each test scripts. Records every call in {@link
 * ScriptedJobActivities#CALLS} as "worker:encodeChunk:index" or "worker:deleteStaged:prefix".
 */
final class ScriptedChunkActivities implements ChunkActivities {
  private final String worker;
  Function<ChunkTask, ChunkEncoded> onEncode;

  ScriptedChunkActivities(String worker) {
    this.worker = worker;
    this.onEncode = task -> new ChunkEncoded(task.chunk().index(), 1000, 0.1, false, worker);
  }

  @Override
  public ChunkEncoded encodeChunk(ChunkTask task) {
    ScriptedJobActivities.CALLS.add(worker + ":encodeChunk:" + task.chunk().index());
    return onEncode.apply(task);
  }

  @Override
  public void deleteStaged(String jobId, String prefix) {
    ScriptedJobActivities.CALLS.add(worker + ":deleteStaged:" + prefix);
  }
}
