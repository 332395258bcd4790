package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.execution.JobSlots;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HostActivitiesImplTest {
  private final JobSlots slots = new JobSlots(1);
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final HostActivitiesImpl claims = new HostActivitiesImpl("concat-host-h1", "7@h1", slots, shuttingDown::get);

  @Test
  void aClaimNamesThisHostsQueueAndTakesASlot() throws Exception {
    assertEquals(new HostClaim("concat-host-h1", "7@h1"), claims.claimHost("ep-1"));
    assertFalse(slots.claim("ep-2", Duration.ZERO), "the job holds the only slot");
  }

  @Test
  void aWorkerThatIsShuttingDownRefusesClaimsSoAnotherWorkerTakesTheJob() {
    shuttingDown.set(true);

    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> claims.claimHost("ep-1"));

    assertEquals(FailureType.HOST_UNAVAILABLE.type(), refused.getType());
    assertFalse(refused.isNonRetryable());
    assertTrue(refused.getOriginalMessage().contains("job ep-1: worker 7@h1 is shutting down"),
        refused.getOriginalMessage());
    assertEquals(0, slots.occupied());
  }
}
