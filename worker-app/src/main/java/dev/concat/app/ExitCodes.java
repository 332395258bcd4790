package dev.concat.app;

/** What the process's exit status means. */
public final class ExitCodes {
  public static final int OK = 0;

  /** The job failed or was cancelled, or the command could not do its work. */
  public static final int FAILED = 1;

  /** The command line, a setting or the request is invalid. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
