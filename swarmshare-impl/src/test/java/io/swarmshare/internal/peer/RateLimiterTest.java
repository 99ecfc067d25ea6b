package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** Waits, 10 s at most, until {@code r} shows a backlog of at least {@code nanos}. */
  private static void awaitBacklog(RateLimiter r, long nanos, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r.backlogNanos() < nanos) {
      assertTrue(System.nanoTime() < deadline, failure);
      Thread.onSpinWait();
    }
  }

  /** A thread that books {@code bytes} of {@code r} and waits them out, until interrupted. */
  private static Thread booking(RateLimiter r, long bytes) {
    return Thread.ofVirtual().start(() -> {
      try {
        r.acquireWithin(bytes, Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // ended by the test
      }
    });
  }

  @Test
  void aBookingBeyondTheBacklogIsRefusedAndBooksNothing() throws Exception {
    RateLimiter r = RateLimiter.of(1 << 20);
    assertEquals(0, r.acquireWithin(1 << 20, 0), "a full bucket: a second's worth passes at once");
    // Someone books ten seconds of the limit and waits them out.
    Thread booker = booking(r, 10L << 20);
    try {
      awaitBacklog(r, TimeUnit.SECONDS.toNanos(5), "the booking never showed as a backlog");
      long before = r.backlogNanos();
      long refused = r.acquireWithin(1, TimeUnit.SECONDS.toNanos(1));
      assertTrue(refused > TimeUnit.SECONDS.toNanos(5), "refused with the wait it would have had: " + refused);
      assertTrue(r.backlogNanos() <= before, "a refusal books nothing");
    } finally {
      booker.interrupt();
      booker.join();
    }
  }

  @Test
  void aRefundGivesBackWhatAWithdrawnBookingTook() throws Exception {
    RateLimiter r = RateLimiter.of(1 << 20);
    r.acquire(1 << 20); // empty the bucket
    Thread booker = booking(r, 4L << 20);
    try {
      awaitBacklog(r, TimeUnit.SECONDS.toNanos(2), "the booking never showed as a backlog");
      r.refund(4L << 20);
      assertEquals(0, r.backlogNanos(), "the withdrawn booking no longer holds up the next caller");
      r.refund(64L << 20); // more than was ever booked
      assertEquals(0, r.acquireWithin(1 << 20, 0), "a second's worth passes at once");
      Thread next = booking(r, 1 << 20);
      try {
        awaitBacklog(r, TimeUnit.MILLISECONDS.toNanos(500), "a refund filled the bucket beyond one second");
      } finally {
        next.interrupt();
        next.join();
      }
    } finally {
      booker.interrupt();
      booker.join();
    }
  }

  @Test
  void manyConnectionsAskingAtOnceBookNoMoreThanTheBacklog() throws Exception {
    long rate = 1 << 20;
    RateLimiter r = RateLimiter.of(rate);
    r.acquire(rate); // empty the bucket
    int threads = 200;
    int chunk = 256 << 10;
    long max = TimeUnit.SECONDS.toNanos(1);
    AtomicInteger booked = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      all.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
          // A wait of at most 0 would run the sleep; book with a long limit check only.
          if (r.acquireWithin(chunk, max) == 0) {
            booked.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    go.countDown();
    for (Thread t : all) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    // 1 s of backlog at 1 MiB/s is four 256 KiB chunks, plus the one that crosses the line,
    // plus what the bucket refilled while they ran (at most a few more on a slow machine).
    assertTrue(booked.get() >= 4, "the first ones pass: " + booked.get());
    assertTrue(booked.get() < threads / 4, "200 at once must not all book: " + booked.get());
  }

  @Test
  void withoutALimitNothingIsEverRefused() throws Exception {
    RateLimiter r = RateLimiter.of(0);
    assertEquals(0, r.acquireWithin(Long.MAX_VALUE / 2, -1));
    assertEquals(0, r.backlogNanos());
  }
}
