package dev.concat.app.jobs;

import dev.concat.app.ExitCodes;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import java.io.PrintStream;

/**
 * How a finished job is told: its status as one JSON line on stdout, a sentence on stderr (and the
 * measured audio, when the result has it), an exit code.
 */
public final class JobReport {
  private JobReport() {}

  public static int print(ConcatStatus status, PrintStream out, PrintStream err) {
    out.println(StatusFormat.json(status));
    out.flush();
    if (status.state() == JobState.COMPLETED) {
      err.println("job " + status.jobId() + " completed: " + status.result().output());
      if (status.result().audio() != null) {
        err.println("audio: " + StatusFormat.audio(status.result().audio()));
      }
      return ExitCodes.OK;
    }
    err.println(
        "job "
            + status.jobId()
            + " ended "
            + status.state()
            + (status.lastError() == null ? "" : ": " + status.lastError()));
    return ExitCodes.FAILED;
  }
}
