package dev.concat.app.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded stack keeps its files and which local ports it serves. */
public final class EmbeddedOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./.concat",
      description =
          "Folder for S3 objects, sample segments and work files. Default: ${DEFAULT-VALUE}.")
  private Path dataDir;

  @Option(
      names = "--temporal-port",
      paramLabel = "PORT",
      defaultValue = "7233",
      description = "Port of the embedded Temporal on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
  private int temporalPort;

  @Option(
      names = "--s3-port",
      paramLabel = "PORT",
      defaultValue = "9000",
      description = "Port of the embedded S3 API on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
  private int s3Port;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      defaultValue = TemporalOptions.DEFAULT_TASK_QUEUE,
      description = "The shared task queue. Env CONCAT_TASK_QUEUE; default: ${DEFAULT-VALUE}.")
  private String taskQueue;

  public Path dataDir() {
    return dataDir.toAbsolutePath().normalize();
  }

  public int temporalPort() {
    return temporalPort;
  }

  public int s3Port() {
    return s3Port;
  }

  public String taskQueue() {
    return taskQueue;
  }
}
