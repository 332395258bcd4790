package dev.concat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Sends a signal by name (STOP, CONT...) with kill(1): Java itself sends only TERM and KILL. */
public final class Signals {

  public static void send(long pid, String signal) {
    try {
      int exit =
          new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending " + signal + " to " + pid, e);
    }
  }

  private Signals() {}
}
