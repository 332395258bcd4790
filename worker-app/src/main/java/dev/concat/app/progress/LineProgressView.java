package dev.concat.app.progress;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Progress for logs and pipes: a line whenever the label changes, otherwise at most one every few
 * seconds while the count moves, and the last state when done.
 */
final class LineProgressView implements ProgressView {
  private static final long COUNT_LINE_INTERVAL_MILLIS = 5_000;

  private final PrintStream err;
  private final String task;
  private String printed;
  private String latest;
  private String latestLabel;
  private String printedLabel;
  private long lastPrintMillis;

  LineProgressView(PrintStream err, String task) {
    this.err = err;
    this.task = task;
  }

  @Override
  public synchronized void show(String label, long done, long total) {
    latest = task + ": " + label + " " + done + "/" + total;
    latestLabel = label;
    long now = System.currentTimeMillis();
    if (!Objects.equals(latestLabel, printedLabel)
        || (!latest.equals(printed) && now - lastPrintMillis >= COUNT_LINE_INTERVAL_MILLIS)) {
      printLatest(now);
    }
  }

  private void printLatest(long now) {
    err.println(latest);
    err.flush();
    printed = latest;
    printedLabel = latestLabel;
    lastPrintMillis = now;
  }

  @Override
  public synchronized void close() {
    if (latest != null && !latest.equals(printed)) {
      printLatest(System.currentTimeMillis());
    }
  }
}
