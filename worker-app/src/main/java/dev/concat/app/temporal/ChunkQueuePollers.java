package dev.concat.app.temporal;

import dev.concat.activities.ChunkFleet;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk fleet as the Temporal server sees it: the workers that polled the chunk queue lately,
 * other than this one and, for a versioned worker, of its own build (a pinned job's chunks go to no
 * other). A join of no more runs than the host has cores is not spread at all: each run would go to
 * one worker, which encodes it chunk after chunk, where the host encodes it on all its cores at
 * once without sending its audio through the bucket. A server that cannot say (no such API, no
 * permission) leaves the fleet assumed, as it was before anyone asked: the host encodes chunks too,
 * so a job staged in vain still completes.
 */
public final class ChunkQueuePollers implements ChunkFleet {
  private static final Logger log = LoggerFactory.getLogger(ChunkQueuePollers.class);

  /**
   * How lately a poller counts. An idle worker's long poll is renewed every minute at most; a
   * worker whose every slot has been busy for longer polls no more, and is no help to this job
   * anyway.
   */
  private static final Duration RECENT = Duration.ofMinutes(2);

  private static final long CALL_TIMEOUT_SECONDS = 5;

  private final WorkflowServiceStubs service;
  private final String namespace;
  private final String chunkQueue;
  private final String identity;
  private final String buildId;
  private final Duration runLength;
  private final int hostCores;
  private final Clock clock;

  /**
   * @param identity this worker's identity, whose own polls do not count
   * @param version this worker's version, or empty for an unversioned worker
   * @param runLength the audio one worker encodes in one activity of a spread join
   * @param hostCores the chunk encoders this host runs at once for a join it keeps
   */
  public ChunkQueuePollers(
      WorkflowServiceStubs service,
      String namespace,
      String chunkQueue,
      String identity,
      Optional<WorkerDeploymentVersion> version,
      Duration runLength,
      int hostCores,
      Clock clock) {
    this.service = service;
    this.namespace = namespace;
    this.chunkQueue = chunkQueue;
    this.identity = identity;
    this.buildId = version.map(WorkerDeploymentVersion::getBuildId).orElse("");
    this.runLength = runLength;
    this.hostCores = hostCores;
    this.clock = clock;
  }

  @Override
  public boolean helpsWith(String jobId, double seconds) {
    long runs = (long) Math.ceil(seconds / runLength.toSeconds());
    if (runs <= hostCores) {
      log.info(
          "job {}: its {} s make {} of chunks (up to {} s each, one worker encoding a run chunk"
              + " after chunk), no more than this host's {} encoders at once; they are encoded"
              + " on this host's cores",
          jobId,
          String.format(Locale.ROOT, "%.1f", seconds),
          runs == 1 ? "one run" : runs + " runs",
          runLength.toSeconds(),
          hostCores);
      return false;
    }
    List<PollerInfo> pollers;
    try {
      pollers =
          service
              .blockingStub()
              .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(namespace)
                      .setTaskQueue(TaskQueue.newBuilder().setName(chunkQueue))
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                      .build())
              .getPollersList();
    } catch (StatusRuntimeException e) {
      log.warn(
          "job {}: could not ask who polls {} ({}); its chunks are staged for any worker",
          jobId,
          chunkQueue,
          e.getStatus());
      return true;
    }
    Instant since = clock.instant().minus(RECENT);
    List<String> others =
        pollers.stream()
            .filter(p -> !p.getIdentity().equals(identity))
            .filter(p -> p.getDeploymentOptions().getBuildId().equals(buildId))
            .filter(p -> lastPolled(p).isAfter(since))
            .map(PollerInfo::getIdentity)
            .toList();
    if (others.isEmpty()) {
      log.info(
          "job {}: no other worker polled {} in the last {} s; its chunks are encoded on this"
              + " host's cores",
          jobId,
          chunkQueue,
          RECENT.toSeconds());
      return false;
    }
    log.info(
        "job {}: workers polling {} besides this one: {}; its chunks are staged for them",
        jobId,
        chunkQueue,
        others);
    return true;
  }

  private static Instant lastPolled(PollerInfo poller) {
    return Instant.ofEpochSecond(
        poller.getLastAccessTime().getSeconds(), poller.getLastAccessTime().getNanos());
  }
}
