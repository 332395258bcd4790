package dev.concat.activities.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JobSlotsTest {
  private final AtomicLong clock = new AtomicLong();
  private final JobSlots slots = new JobSlots(2, clock::get);

  @Test
  void aFullHostRefusesANewJobButNotOneItAlreadyHolds() throws Exception {
    assertTrue(slots.claim("a", Duration.ZERO));
    assertTrue(slots.claim("b", Duration.ZERO));

    assertFalse(slots.claim("c", Duration.ZERO));
    assertTrue(slots.claim("a", Duration.ZERO), "a rerun of a job this host holds");
    assertEquals(2, slots.occupied());
  }

  @Test
  void aJobLeavesWhenItsStepSaysSoAndFreesItsSlotForAWaitingClaim() throws Exception {
    JobSlots realClock = new JobSlots(1);
    assertTrue(realClock.claim("a", Duration.ZERO));
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(() -> claim(realClock, "b", Duration.ofSeconds(10)));

    try (JobSlots.Step step = realClock.start("a", Duration.ZERO)) {
      step.jobLeaves();
    }

    assertTrue(waiting.get(5, TimeUnit.SECONDS));
    assertEquals(1, realClock.occupied());
  }

  @Test
  void aStepThatCompletesKeepsTheSlotForTheJobsNextStep() throws Exception {
    slots.claim("a", Duration.ZERO);
    slots.start("a", Duration.ZERO).close();
    slots.claim("b", Duration.ZERO);

    assertFalse(slots.claim("c", Duration.ZERO));
  }

  @Test
  void aSlotIdleLongerThanTheExpiryIsFreed() throws Exception {
    slots.claim("a", Duration.ZERO);
    slots.claim("b", Duration.ZERO);
    clock.addAndGet(JobSlots.IDLE_EXPIRY.toNanos() + 1);

    assertTrue(slots.claim("c", Duration.ZERO), "the claims of jobs that went elsewhere expired");
  }

  @Test
  void aRunningStepNeverExpires() throws Exception {
    slots.claim("a", Duration.ZERO);
    slots.claim("b", Duration.ZERO);
    JobSlots.Step running = slots.start("a", Duration.ZERO);
    clock.addAndGet(JobSlots.IDLE_EXPIRY.toNanos() + 1);

    assertEquals(1, slots.occupied());
    running.close();
  }

  @Test
  void aSecondStepOfTheSameJobWaitsForTheFirstToLeave() throws Exception {
    JobSlots realClock = new JobSlots(2);
    JobSlots.Step first = realClock.start("a", Duration.ZERO);
    CompletableFuture<JobSlots.Step> second =
        CompletableFuture.supplyAsync(() -> start(realClock, "a"));
    Thread.sleep(300);
    assertFalse(second.isDone(), "the second step entered while the first was running");

    first.close();

    second.get(5, TimeUnit.SECONDS).close();
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (JobSlots.Step held = realClock.start("b", Duration.ZERO)) {
            realClock.start("b", Duration.ofMillis(100));
          }
        });
  }

  private static boolean claim(JobSlots slots, String jobId, Duration wait) {
    try {
      return slots.claim(jobId, wait);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JobSlots.Step start(JobSlots slots, String jobId) {
    try {
      return slots.start(jobId, Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
