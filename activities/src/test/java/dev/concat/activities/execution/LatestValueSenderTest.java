package dev.concat.activities.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatestValueSenderTest {
  private final ExecutorService threads = ProgressThreads.create();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void offersNeverWaitForABlockedSendAndOnlyTheLatestFollowsIt() throws Exception {
    CountDownLatch firstSendStarted = new CountDownLatch(1);
    CountDownLatch outageEnds = new CountDownLatch(1);
    CountDownLatch lastSent = new CountDownLatch(1);
    List<Integer> sent = new CopyOnWriteArrayList<>();
    var sender =
        new LatestValueSender<Integer>(
            threads,
            value -> {
              firstSendStarted.countDown();
              await(outageEnds);
              sent.add(value);
              if (value == 100) {
                lastSent.countDown();
              }
            });

    sender.offer(1);
    assertTrue(firstSendStarted.await(5, TimeUnit.SECONDS));
    long offering = System.nanoTime();
    for (int i = 2; i <= 100; i++) {
      sender.offer(i);
    }
    long offerNanos = System.nanoTime() - offering;
    outageEnds.countDown();

    assertTrue(
        lastSent.await(5, TimeUnit.SECONDS), "the latest value was sent after the outage: " + sent);
    assertEquals(List.of(1, 100), sent);
    assertTrue(
        offerNanos < TimeUnit.SECONDS.toNanos(1),
        "99 offers waited on the blocked send: " + offerNanos);
  }

  @Test
  void aFailingSendDoesNotStopLaterOnes() throws Exception {
    CountDownLatch sentAfterFailure = new CountDownLatch(1);
    var sender =
        new LatestValueSender<Integer>(
            threads,
            value -> {
              if (value == 1) {
                throw new IllegalStateException("Temporal unreachable");
              }
              sentAfterFailure.countDown();
            });

    sender.offer(1);
    Thread.sleep(200);
    sender.offer(2);

    assertTrue(sentAfterFailure.await(5, TimeUnit.SECONDS));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
