package dev.concat.workflows;

import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The middle of a spread encode: the chunks the host staged are encoded in runs ({@link ChunkRuns})
 * all at once, each on whichever worker takes it from the chunk queue. A failed run (its retries
 * used up) stops the others, so that the job's host attempt fails as a whole, as a failed concat
 * would.
 */
final class SpreadChunkEncode {
  private static final Logger log = Workflow.getLogger(SpreadChunkEncode.class);

  private final String jobId;
  private final String chunkQueue;
  private final JobActivityOptions options;

  SpreadChunkEncode(String jobId, JobActivityOptions options) {
    this.jobId = jobId;
    this.chunkQueue = Workflow.getInfo().getTaskQueue() + ChunkActivities.QUEUE_SUFFIX;
    this.options = options;
  }

  /**
   * Encodes every chunk of {@code staged}, in {@link ChunkRuns}; returns once all are stored.
   *
   * @param framesEncoded told, as runs finish, how many of the stream's frames are encoded
   * @throws ActivityFailure the first run that failed, after the others have stopped
   */
  List<ChunkEncoded> encode(StagedChunks staged, LongConsumer framesEncoded) {
    List<ChunkRuns.Run> plan = ChunkRuns.of(staged);
    List<Promise<ChunkEncoded>> runs = new ArrayList<>();
    long[] frames = {0};
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              for (ChunkRuns.Run run : plan) {
                StagedChunk first = staged.chunks().get(run.from());
                StagedChunk last = staged.chunks().get(run.to() - 1);
                ChunkActivities encoder =
                    Workflow.newActivityStub(
                        ChunkActivities.class,
                        ActivityOptions.newBuilder(options.encodeChunks(chunkQueue))
                            .setSummary(
                                "encode chunks "
                                    + (run.from() + 1)
                                    + "-"
                                    + run.to()
                                    + " of "
                                    + staged.chunks().size())
                            .build());
                runs.add(
                    Async.function(encoder::encodeChunks, staged.task(jobId, run.from(), run.to()))
                        .thenApply(
                            done -> {
                              frames[0] += last.endFrame() - first.firstFrame();
                              framesEncoded.accept(frames[0]);
                              return done;
                            }));
              }
            });
    scope.run();
    try {
      List<ChunkEncoded> encoded = Promise.allOf(runs).thenApply(v -> results(runs)).get();
      log.info(
          "job {}: {} chunks encoded in {} runs on {} workers ({} already staged)",
          jobId,
          staged.chunks().size(),
          plan.size(),
          encoded.stream().map(ChunkEncoded::worker).distinct().count(),
          encoded.stream().mapToInt(ChunkEncoded::reused).sum());
      return encoded;
    } catch (RuntimeException failed) {
      // Stop the runs still going and wait for them to kill their FFmpeg, whatever ended this: a
      // failed run, the job's cancellation or its deadline.
      scope.cancel();
      Workflow.newDetachedCancellationScope(
              () -> Workflow.await(() -> runs.stream().allMatch(Promise::isCompleted)))
          .run();
      throw failed;
    }
  }

  /** Deletes the job's staging; a failure only leaves it to the bucket's lifecycle rule. */
  void deleteStaged(String prefix) {
    ChunkActivities cleaner =
        Workflow.newActivityStub(ChunkActivities.class, options.deleteStaged(chunkQueue));
    try {
      cleaner.deleteStaged(jobId, prefix);
    } catch (ActivityFailure left) {
      log.warn("job {}: could not delete its staging {}: {}", jobId, prefix, left.getMessage());
    }
  }

  private static List<ChunkEncoded> results(List<Promise<ChunkEncoded>> runs) {
    return runs.stream().map(Promise::get).toList();
  }
}
