package dev.concat.app.config;

import picocli.CommandLine.Option;

/** Where the Temporal frontend is and which queue concat's workflows use. */
public final class TemporalOptions {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";
  public static final String DEFAULT_TASK_QUEUE = "concat";

  @Option(names = "--temporal-address", paramLabel = "HOST:PORT", defaultValue = DEFAULT_ADDRESS,
      description = "Temporal frontend address. Env TEMPORAL_ADDRESS; default: ${DEFAULT-VALUE}.")
  private String address;

  @Option(names = "--namespace", paramLabel = "NAME", defaultValue = DEFAULT_NAMESPACE,
      description = "Temporal namespace. Env TEMPORAL_NAMESPACE; default: ${DEFAULT-VALUE}.")
  private String namespace;

  @Option(names = "--task-queue", paramLabel = "NAME", defaultValue = DEFAULT_TASK_QUEUE,
      description = "The shared task queue for workflows and host claims. Env CONCAT_TASK_QUEUE; default: ${DEFAULT-VALUE}.")
  private String taskQueue;

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }

  public String taskQueue() {
    return taskQueue;
  }
}
