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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk fleet as the Temporal server sees it: the workers that polled the chunk queue lately,
 * other than this one and, for a versioned worker, of its own build (a pinned job's chunks go to no
 * other). A server that cannot say (no such API, no permission) leaves the fleet assumed, as it was
 * before anyone asked: the host encodes chunks too, so a job staged in vain still completes.
 */
public final class ChunkQueuePollers implements ChunkFleet {
  private static final Logger log = LoggerFactory.getLogger(ChunkQueuePollers.class);

  /**
   * How lately a poller counts. An idle worker's long poll is renewed every minute at most; a
   * worker whose every slot has been busy for longer polls no more, and is no help to this job
   * anyway.
   */
  static final Duration RECENT = Duration.ofMinutes(2);

  private static final long CALL_TIMEOUT_SECONDS = 5;

  private final WorkflowServiceStubs service;
  private final String namespace;
  private final String chunkQueue;
  private final String identity;
  private final String buildId;
  private final Clock clock;

  /**
   * @param identity this worker's identity, whose own polls do not count
   * @param version this worker's version, or empty for an unversioned worker
   */
  public ChunkQueuePollers(
      WorkflowServiceStubs service,
      String namespace,
      String chunkQueue,
      String identity,
      Optional<WorkerDeploymentVersion> version,
      Clock clock) {
    this.service = service;
    this.namespace = namespace;
    this.chunkQueue = chunkQueue;
    this.identity = identity;
    this.buildId = version.map(WorkerDeploymentVersion::getBuildId).orElse("");
    this.clock = clock;
  }

  @Override
  public boolean othersEncode(String jobId) {
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
    log.info("job {}: workers polling {} besides this one: {}", jobId, chunkQueue, others);
    return !others.isEmpty();
  }

  private static Instant lastPolled(PollerInfo poller) {
    return Instant.ofEpochSecond(
        poller.getLastAccessTime().getSeconds(), poller.getLastAccessTime().getNanos());
  }
}
