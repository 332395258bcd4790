package dev.concat.activities.execution;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * The failure of work handed to another thread, thrown on as the waiting thread's own: an unchecked
 * exception or an {@link IOException} as the task threw it, so its type and message (a shutdown, S3
 * refusing a request) still decide how the attempt fails; anything else wrapped.
 */
public final class TaskFailure {
  private TaskFailure() {}

  /** The task's unchecked failure, or its checked one wrapped in an IllegalStateException. */
  public static RuntimeException unchecked(ExecutionException failed) {
    Throwable cause = failed.getCause();
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause);
  }

  /**
   * The task's IOException, or any other checked failure wrapped in one that says {@code what}
   * failed; an unchecked failure is thrown as it is.
   */
  public static IOException io(ExecutionException failed, String what) {
    Throwable cause = failed.getCause();
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException || cause instanceof Error) {
      throw unchecked(failed);
    }
    return new IOException(what + " failed", cause);
  }
}
