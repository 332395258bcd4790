package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.config.TemporalOptions;
import dev.concat.app.jobs.JobReport;
import dev.concat.app.jobs.JobWatcher;
import dev.concat.app.progress.BarFriendlyLogging;
import dev.concat.app.temporal.TemporalConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Shows a job's progress until it ends, then prints its status as JSON on stdout; "
            + "exits 0 only if it completed.")
public final class WatchCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private TemporalOptions temporal;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String jobId;

  @Override
  public Integer call() throws InterruptedException {
    ConcatCli.Console console = cli.console();
    BarFriendlyLogging.apply(console.terminal(), console.environment());
    try (TemporalConnection connection =
        TemporalConnection.connect(temporal.clientConfig(cli.console().environment()))) {
      var status =
          new JobWatcher(connection.client(), console.err(), console.terminal()).watch(jobId);
      return JobReport.print(status, console.out(), console.err());
    }
  }
}
