package dev.concat.app.config;

import dev.concat.app.temporal.TemporalClientConfig;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the Temporal frontend is, how to reach it, and which queue concat's workflows use. The
 * connection comes from the SDK's environment configuration (TEMPORAL_* variables and temporal.toml
 * profiles, as the `temporal` CLI reads them); these flags win over both.
 */
public final class TemporalOptions {
  public static final String DEFAULT_ADDRESS = TemporalClientConfig.DEFAULT_ADDRESS;
  public static final String DEFAULT_NAMESPACE = TemporalClientConfig.DEFAULT_NAMESPACE;
  public static final String DEFAULT_TASK_QUEUE = "concat";

  @Option(
      names = "--temporal-address",
      paramLabel = "HOST:PORT",
      description =
          "Temporal frontend address. Env TEMPORAL_ADDRESS, else the profile's address; "
              + "default: "
              + DEFAULT_ADDRESS
              + ".")
  private String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description =
          "Temporal namespace. Env TEMPORAL_NAMESPACE, else the profile's namespace; "
              + "default: "
              + DEFAULT_NAMESPACE
              + ".")
  private String namespace;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "The profile of the Temporal configuration file (TEMPORAL_CONFIG_FILE, default "
              + "~/.config/temporalio/temporal.toml) for address, namespace, TLS and API key; the variables "
              + "TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_* override it. Env TEMPORAL_PROFILE; "
              + "default: the file's 'default' profile, if any.")
  private String profile;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      defaultValue = DEFAULT_TASK_QUEUE,
      description =
          "The shared task queue for workflows and host claims. Env CONCAT_TASK_QUEUE; default: ${DEFAULT-VALUE}.")
  private String taskQueue;

  /** The connection these flags, {@code environment} and the configuration file describe. */
  public TemporalClientConfig clientConfig(Map<String, String> environment) {
    return TemporalClientConfig.resolve(address, namespace, profile, environment);
  }

  public String taskQueue() {
    return taskQueue;
  }
}
