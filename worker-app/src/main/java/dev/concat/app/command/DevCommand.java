package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.config.EmbeddedOptions;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.config.FfmpegOptions;
import dev.concat.app.config.PolicyOptions;
import dev.concat.app.config.WorkerTuning;
import dev.concat.app.embedded.EmbeddedStack;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.temporal.TemporalClientConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the embedded stack (Temporal, S3 with bucket 'concat', workers) on 127.0.0.1 until Ctrl-C. "
          + "`concat worker` and `concat submit` reach it with their defaults. Temporal keeps jobs in memory only.",
      "With --temporal-address it uses a Temporal that is already running instead, such as "
          + "`temporal server start-dev`, whose Web UI (http://localhost:8233) then shows the jobs."
    })
public final class DevCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private EmbeddedOptions embedded;
  @Mixin private WorkerTuning tuning;
  @Mixin private FfmpegOptions ffmpegOptions;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "In-process workers; 0 runs only the servers, for separate `concat worker` processes. "
              + "Default: ${DEFAULT-VALUE}.")
  private int workers;

  // Flag only: TEMPORAL_ADDRESS, which dev tells other terminals to export, must not make dev a
  // client of the server it should start. The rest of the connection (namespace, TLS, API key)
  // comes from the TEMPORAL_* variables and TEMPORAL_PROFILE, as for the other commands.
  @Option(
      names = "--temporal-address",
      paramLabel = "HOST:PORT",
      description =
          "Use this Temporal frontend instead of the in-process one, with the namespace, TLS and API key "
              + "of the TEMPORAL_* variables or TEMPORAL_PROFILE; --temporal-port is then unused. "
              + "Default: serve one in-process.")
  private String temporalAddress;

  @Override
  public Integer call() throws InterruptedException {
    ConcatCli.Console console = cli.console();
    if (workers < 0) {
      throw new IllegalArgumentException("--workers must be 0 or more, not " + workers);
    }
    FfmpegBinaries ffmpeg =
        workers == 0
            ? null
            : FfmpegBinaries.locate(ffmpegOptions, console.environment().get("PATH"));
    EmbeddedStack stack =
        EmbeddedStack.start(
            new EmbeddedStack.Settings(
                embedded.dataDir(),
                embedded.temporalPort(),
                embedded.s3Port(),
                workers,
                embedded.taskQueue(),
                tuning,
                ffmpeg,
                temporalAddress == null || temporalAddress.isBlank()
                    ? null
                    : TemporalClientConfig.resolve(
                        temporalAddress, null, null, console.environment())));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.close();
                  stopped.countDown();
                },
                "concat-dev-shutdown"));
    printEndpoints(console.out(), stack);
    stopped.await();
    return 0;
  }

  private void printEndpoints(PrintStream out, EmbeddedStack stack) {
    out.println("concat dev stack running (Ctrl-C stops it)");
    out.println(
        "  Temporal   "
            + stack.temporalAddress()
            + "  namespace "
            + stack.namespace()
            + "  task queue "
            + embedded.taskQueue()
            + (stack.servesTemporal()
                ? "  (in-process, in memory)"
                : "  (external; with `temporal server start-dev` "
                    + "its Web UI is http://localhost:8233)"));
    out.println(
        "  S3         "
            + stack.s3Endpoint()
            + "  bucket "
            + EmbeddedStack.BUCKET
            + "  access key "
            + S3Connection.DEV_ACCESS_KEY
            + "  secret key "
            + S3Connection.DEV_SECRET_KEY
            + "  (dev-only)");
    out.println("  data       " + embedded.dataDir());
    out.println(
        "  workers    "
            + stack.workers().size()
            + (stack.workers().isEmpty() ? " (start some with `./concat worker`)" : ""));
    out.println(
        "Other terminals reach it with TEMPORAL_ADDRESS="
            + stack.temporalAddress()
            + " S3_ENDPOINT="
            + stack.s3Endpoint()
            + " (the CLI's defaults when the ports are 7233 and 9000).");
    if (!S3Connection.dev(stack.s3Endpoint()).isDevStackDefault()) {
      // The dev key and the dev bucket are defaults only at the dev stack's own endpoint.
      out.println(
          "  With S3 on another port, also AWS_ACCESS_KEY_ID="
              + S3Connection.DEV_ACCESS_KEY
              + " AWS_SECRET_ACCESS_KEY="
              + S3Connection.DEV_SECRET_KEY
              + ", and for workers CONCAT_ALLOWED_INPUTS="
              + PolicyOptions.DEV_LOCATIONS
              + " CONCAT_ALLOWED_OUTPUTS="
              + PolicyOptions.DEV_LOCATIONS
              + ".");
    }
    out.println(
        "Try: ./concat submit --job-id my-job --output s3://"
            + EmbeddedStack.BUCKET
            + "/my-job.mp3 --wait part1.mp3 part2.mp3");
    out.flush();
  }
}
