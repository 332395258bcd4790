package dev.concat.activities.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownGateTest {

  @Test
  void closingWaitsUntilRunningActivitiesLeave() throws Exception {
    var gate = new ShutdownGate();
    ShutdownGate.Pass pass = gate.enter();
    CompletableFuture<Integer> closing =
        CompletableFuture.supplyAsync(() -> gate.closeAndAwait("test", Duration.ofSeconds(10)));
    while (!gate.isClosed()) {
      Thread.sleep(5);
    }
    Thread.sleep(100);
    assertTrue(!closing.isDone(), "returned while an activity was still inside");

    pass.close();

    assertEquals(0, closing.get(5, TimeUnit.SECONDS));
  }

  @Test
  void closingGivesUpAfterTheBoundAndSaysHowManyAreLeft() {
    var gate = new ShutdownGate();
    gate.enter();
    assertEquals(1, gate.closeAndAwait("test", Duration.ofMillis(50)));
  }

  @Test
  void noActivityEntersAClosedGate() {
    var gate = new ShutdownGate();
    gate.closeAndAwait("worker w1 is shutting down", Duration.ZERO);
    var e = assertThrows(WorkerShuttingDown.class, gate::enter);
    assertEquals("worker w1 is shutting down", e.getMessage());
  }
}
