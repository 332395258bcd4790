package dev.concat.app;

import dev.concat.app.command.CancelCommand;
import dev.concat.app.command.DemoCommand;
import dev.concat.app.command.DevCommand;
import dev.concat.app.command.StatusCommand;
import dev.concat.app.command.SubmitCommand;
import dev.concat.app.command.WatchCommand;
import dev.concat.app.command.WorkerCommand;
import dev.concat.app.config.EnvironmentDefaults;
import dev.concat.app.progress.Terminals;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The {@code concat} command: the worker, the job client and the embedded dev stack. */
@Command(
    name = "concat",
    mixinStandardHelpOptions = true,
    versionProvider = ConcatCli.Version.class,
    description =
        "Joins many audio segments stored in S3 into one file with FFmpeg, orchestrated by Temporal.",
    footer =
        "%nIn a source checkout, `./concat bench --help`: the benchmark, a program of its own (benchmark/).",
    subcommands = {
      DemoCommand.class, DevCommand.class, WorkerCommand.class, SubmitCommand.class,
      StatusCommand.class, WatchCommand.class, CancelCommand.class, HelpCommand.class
    })
public final class ConcatCli {

  /** Where a command writes, what environment it reads, and whether stderr can show a live bar. */
  public record Console(
      PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal) {}

  private final Console console;

  ConcatCli(Console console) {
    this.console = console;
  }

  public Console console() {
    return console;
  }

  public static void main(String[] args) {
    Console console =
        new Console(System.out, System.err, System.getenv(), Terminals.stderrIsTerminal());
    int exitCode;
    try {
      exitCode = run(console, args);
    } catch (Throwable e) {
      // picocli passes Errors through; report them, and exit anyway so that non-daemon server
      // threads cannot keep a failed process alive.
      e.printStackTrace(console.err());
      exitCode = ExitCodes.FAILED;
    }
    System.exit(exitCode);
  }

  /** Runs one command line and returns its exit code; never exits the JVM, so tests can call it. */
  public static int run(Console console, String... args) {
    return execute(console, new ConcatCli(console), args);
  }

  /**
   * Runs {@code command} as concat runs its own: output to the console, defaults from its
   * environment, errors reported as {@code concat: <message>}. Public for {@code concat bench},
   * which lives in a jar of its own.
   */
  public static int execute(Console console, Object command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(console.out(), true));
    commandLine.setErr(new PrintWriter(console.err(), true));
    commandLine.setDefaultValueProvider(new EnvironmentDefaults(console.environment()));
    commandLine.setExecutionExceptionHandler(new ErrorReporter());
    return commandLine.execute(args);
  }

  /**
   * Prints {@code concat: <message>} for an error and picks the exit code; stack traces only in the
   * debug log.
   */
  static final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      commandLine
          .getErr()
          .println("concat: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      LoggerFactory.getLogger(ConcatCli.class).debug("command failed", e);
      return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FAILED;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ConcatCli.class.getPackage().getImplementationVersion();
      return new String[] {"concat " + (version == null ? "(development build)" : version)};
    }
  }
}
