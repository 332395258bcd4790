package dev.concat.contract;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a spread MP3 encode that any worker can run: they read and write only the job's
 * staging prefix in S3, never a host's disk. Polled on the job queue's name plus {@link
 * #QUEUE_SUFFIX}, where each worker takes as many chunks at once as it has encoder cores.
 */
@ActivityInterface
public interface ChunkActivities {
  String QUEUE_SUFFIX = "-chunks";

  /**
   * Encodes the task's chunks one after the other: fetches a chunk's PCM, encodes it with LAME and
   * stores its frames under the prefix, skipping a chunk whose frames are already there.
   */
  @ActivityMethod
  ChunkEncoded encodeChunks(ChunkTask task);

  /** Deletes everything under the job's staging prefix; safe when nothing is there. */
  @ActivityMethod
  void deleteStaged(String jobId, String prefix);
}
