package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.execution.DiskShortfalls;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.execution.JobSlots;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.workdir.WorkDirectories;
import dev.concat.contract.FailureType;
import dev.concat.contract.HostClaim;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostActivitiesImplTest {
  private final JobSlots slots = new JobSlots(1);
  private final ShutdownGate gate = new ShutdownGate();
  private final HostActivitiesImpl claims =
      new HostActivitiesImpl(
          "concat-host-h1",
          "7@h1",
          new HostResources(
              new WorkDirectories(Path.of("unused")),
              slots,
              gate,
              new DiskShortfalls(),
              () -> Long.MAX_VALUE,
              new EncoderCores(1)));

  @Test
  void aClaimNamesThisHostsQueueAndTakesASlot() throws Exception {
    assertEquals(new HostClaim("concat-host-h1", "7@h1"), claims.claimHost("ep-1"));
    assertFalse(slots.claim("ep-2", Duration.ZERO), "the job holds the only slot");
  }

  @Test
  void aWorkerThatIsShuttingDownRefusesClaimsSoAnotherWorkerTakesTheJob() {
    gate.closeAndAwait("shutting down", Duration.ZERO);

    ApplicationFailure refused =
        assertThrows(ApplicationFailure.class, () -> claims.claimHost("ep-1"));

    assertEquals(FailureType.HOST_UNAVAILABLE.type(), refused.getType());
    assertFalse(refused.isNonRetryable());
    assertTrue(
        refused.getOriginalMessage().contains("job ep-1: worker 7@h1 is shutting down"),
        refused.getOriginalMessage());
    assertEquals(0, slots.occupied());
  }
}
