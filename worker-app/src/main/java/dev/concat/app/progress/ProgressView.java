package dev.concat.app.progress;

import java.io.PrintStream;

/** Shows how far a task got, on stderr so stdout stays clean for JSON. */
public interface ProgressView extends AutoCloseable {

  /** The task is at {@code done} of {@code total}; {@code label} says what it is doing. */
  void show(String label, long done, long total);

  @Override
  void close();

  /** A redrawn bar on a terminal, otherwise a line per change so logs stay readable. */
  static ProgressView on(PrintStream err, boolean terminal, String task) {
    return terminal ? new TerminalProgressView(err, task) : new LineProgressView(err, task);
  }
}
