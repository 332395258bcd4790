package dev.concat.app.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claim polls are allowed only while job slots are free beyond the claims already out. */
class FreeJobSlotSupplierTest {
  private final AtomicInteger freeJobSlots = new AtomicInteger(2);
  private final FreeJobSlotSupplier supplier = new FreeJobSlotSupplier(freeJobSlots::get, 2);

  @AfterEach
  void close() {
    supplier.close();
  }

  @Test
  void asManyClaimPollsAsFreeJobSlotsTheRestWait() throws Exception {
    SlotSupplierFuture first = supplier.reserveSlot(null);
    SlotSupplierFuture second = supplier.reserveSlot(null);
    SlotSupplierFuture third = supplier.reserveSlot(null);

    assertTrue(first.isDone() && second.isDone());
    assertFalse(third.isDone(), "a third poll waits: both job slots are spoken for");
    assertTrue(supplier.tryReserveSlot(null).isEmpty());

    // The first claim took a job slot and finished; its permit comes back, but the slot is held.
    freeJobSlots.set(1);
    supplier.releaseSlot(null);
    assertFalse(third.isDone(), "the job that claimed holds its slot");

    // That job finished on this host: a slot is free, and the waiting poll goes at once.
    freeJobSlots.set(2);
    supplier.releaseSlot(null);
    assertTrue(third.get(1, TimeUnit.SECONDS) != null);
  }

  @Test
  void aSlotFreedWithoutARelease_byExpiry_isNoticedWithinAMoment() throws Exception {
    freeJobSlots.set(0);
    SlotSupplierFuture waiting = supplier.reserveSlot(null);
    assertFalse(waiting.isDone());

    freeJobSlots.set(1);

    assertTrue(waiting.get(2, TimeUnit.SECONDS) != null);
  }

  @Test
  void anAbortedReservationGivesNothingAwayAndTakesNothing() throws Exception {
    freeJobSlots.set(0);
    SlotSupplierFuture aborted = supplier.reserveSlot(null);
    assertNull(aborted.abortReservation());

    freeJobSlots.set(1);
    SlotSupplierFuture next = supplier.reserveSlot(null);

    assertEquals(true, next.isDone(), "the aborted poll did not keep the freed slot");
  }
}
