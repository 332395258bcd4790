package dev.concat.app.config;

import io.temporal.common.WorkerDeploymentVersion;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Worker Versioning: the Worker Deployment and build this worker belongs to. Off unless both are
 * given, so a plain worker polls as an unversioned one.
 */
public final class WorkerVersioningOptions {
  @Option(
      names = "--deployment-name",
      paramLabel = "NAME",
      description =
          "The Worker Deployment this worker belongs to; with --build-id it turns Worker Versioning on, "
              + "and every job stays on the build it started on. Env TEMPORAL_DEPLOYMENT_NAME; default: off.")
  private String deploymentName;

  @Option(
      names = "--build-id",
      paramLabel = "ID",
      description =
          "This worker's build, e.g. the release or image tag; see --deployment-name. "
              + "Env TEMPORAL_WORKER_BUILD_ID; default: off.")
  private String buildId;

  /** The version to poll as, or empty for an unversioned worker. */
  public Optional<WorkerDeploymentVersion> version() {
    boolean named = deploymentName != null && !deploymentName.isBlank();
    boolean built = buildId != null && !buildId.isBlank();
    if (named != built) {
      throw new IllegalArgumentException(
          "Worker Versioning needs both --deployment-name (TEMPORAL_DEPLOYMENT_NAME) "
              + "and --build-id (TEMPORAL_WORKER_BUILD_ID); only "
              + (named ? "the deployment name" : "the build id")
              + " is set");
    }
    return named
        ? Optional.of(new WorkerDeploymentVersion(deploymentName.strip(), buildId.strip()))
        : Optional.empty();
  }
}
