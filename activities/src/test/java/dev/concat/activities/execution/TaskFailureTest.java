package dev.concat.activities.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A task's failure reaches the thread that waited on it with its own type and message. */
class TaskFailureTest {

  @Test
  void anIoFailureIsTheTasksOwn() {
    IOException refused = new IOException("S3 refused piece 3");
    assertSame(refused, TaskFailure.io(failure(refused), "putting piece 3"));
  }

  @Test
  void anUncheckedFailureIsThrownAsItIs() {
    IllegalArgumentException stopped = new IllegalArgumentException("the worker is shutting down");
    ExecutionException failed = failure(stopped);
    assertSame(stopped, TaskFailure.unchecked(failed));
    assertSame(
        stopped, assertThrows(IllegalArgumentException.class, () -> TaskFailure.io(failed, "x")));
  }

  @Test
  void anyOtherCheckedFailureIsWrappedAndNamed() {
    Exception odd = new Exception("odd");
    IOException wrapped = TaskFailure.io(failure(odd), "putting piece 3");
    assertEquals("putting piece 3 failed", wrapped.getMessage());
    assertSame(odd, wrapped.getCause());
    assertSame(odd, TaskFailure.unchecked(failure(odd)).getCause());
  }

  /** What a real future's get() throws for a task that threw {@code thrown}. */
  private static ExecutionException failure(Throwable thrown) {
    Future<Void> task = CompletableFuture.failedFuture(thrown);
    return assertThrows(ExecutionException.class, task::get);
  }
}
