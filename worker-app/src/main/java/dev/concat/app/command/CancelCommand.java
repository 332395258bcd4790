package dev.concat.app.command;

import dev.concat.app.ConcatCli;
import dev.concat.app.ExitCodes;
import dev.concat.app.config.TemporalOptions;
import dev.concat.app.jobs.JobReport;
import dev.concat.app.jobs.JobStatusReader;
import dev.concat.app.jobs.JobWatcher;
import dev.concat.app.progress.BarFriendlyLogging;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.contract.JobState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description =
        "Cancels a job: its FFmpeg is stopped, its work files deleted, nothing is uploaded, and it ends CANCELLED.")
public final class CancelCommand implements Callable<Integer> {
  @ParentCommand private ConcatCli cli;
  @Mixin private TemporalOptions temporal;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String jobId;

  @Option(
      names = "--wait",
      description = "Wait until the job has stopped, then print its status as JSON on stdout.")
  private boolean wait;

  @Override
  public Integer call() throws InterruptedException {
    ConcatCli.Console console = cli.console();
    BarFriendlyLogging.apply(console.terminal(), console.environment());
    try (TemporalConnection connection =
        TemporalConnection.connect(temporal.clientConfig(cli.console().environment()))) {
      if (new JobStatusReader(connection.client()).isClosed(jobId)) {
        console.err().println("job " + jobId + " has already ended; nothing to cancel");
        return ExitCodes.OK;
      }
      connection.client().newUntypedWorkflowStub(jobId).cancel("cancelled with concat cancel");
      console.err().println("cancellation requested for job " + jobId);
      if (!wait) {
        return ExitCodes.OK;
      }
      var status =
          new JobWatcher(connection.client(), console.err(), console.terminal()).watch(jobId);
      JobReport.print(status, console.out(), console.err());
      return status.state() == JobState.CANCELLED ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
