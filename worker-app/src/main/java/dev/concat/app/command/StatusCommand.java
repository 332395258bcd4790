package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.config.TemporalOptions;
import dev.concat.app.jobs.JobStatusReader;
import dev.concat.app.jobs.StatusFormat;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.contract.ConcatStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows a job's state and progress (the workflow's status query).")
public final class StatusCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private TemporalOptions temporal;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String jobId;

  @Option(names = "--json", description = "Print the status as one JSON line.")
  private boolean json;

  @Override
  public Integer call() {
    try (TemporalConnection connection =
        TemporalConnection.connect(temporal.clientConfig(cli.console().environment()))) {
      ConcatStatus status = new JobStatusReader(connection.client()).read(jobId);
      cli.console()
          .out()
          .print(
              json
                  ? StatusFormat.json(status) + System.lineSeparator()
                  : StatusFormat.table(status));
      cli.console().out().flush();
      return ExitCodes.OK;
    }
  }
}
