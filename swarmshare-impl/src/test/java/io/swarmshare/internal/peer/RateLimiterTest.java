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
  @Test
  void aBookingBeyondTheBacklogIsRefusedAndBooksNothing() throws Exception {
    RateLimiter r = RateLimiter.of(1 << 20);
    assertEquals(0, r.acquireWithin(1 << 20, 0), "a full bucket: a second's worth passes at once");
    // Someone books ten seconds of the limit and waits them out.
    Thread booker = Thread.ofVirtual().start(() -> {
      try {
        r.acquireWithin(10L << 20, Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // ended by the test
      }
    });
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (r.backlogNanos() < TimeUnit.SECONDS.toNanos(5)) {
        assertTrue(System.nanoTime() < deadline, "the booking never showed as a backlog");
        Thread.onSpinWait();
      }
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
