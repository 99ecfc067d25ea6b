package io.swarmshare.internal.tracker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One token bucket per address for {@code announce} and {@code leave}, the requests a client
 * repeats for ever, so one address cannot keep the tracker's lock busy. A request over the rate waits its turn (back-pressure:
 * a client sharing many files is slowed, not failed); one that would wait too long is refused.
 * A bucket that has filled up again carries nothing worth keeping and is dropped.
 *
 * <p>Thread-safe.
 */
final class AnnounceRate {
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final double perSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private long lastSweep = System.nanoTime();

  /** The tokens of one address, negative while callers wait for them. */
  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }
  }

  /** At most {@code perSecond} requests per second per address, with a burst of as many. */
  AnnounceRate(int perSecond) {
    this.perSecond = perSecond;
  }

  /**
   * Takes a token for {@code address}, waiting for it if need be; false, without taking one, if
   * the wait would be longer than {@code maxWait}.
   */
  boolean acquire(String address, Duration maxWait) throws InterruptedException {
    long waitNanos;
    lock.lock();
    try {
      long now = System.nanoTime();
      if (now - lastSweep > SWEEP_NANOS) {
        sweep(now);
      }
      Bucket b = buckets.computeIfAbsent(address, k -> new Bucket(perSecond, now));
      double tokens = Math.min(perSecond, b.tokens + (now - b.last) * (perSecond / 1e9));
      b.tokens = tokens;
      b.last = now;
      waitNanos = tokens >= 1 ? 0 : (long) ((1 - tokens) / perSecond * 1e9);
      if (waitNanos > maxWait.toNanos()) {
        return false;
      }
      // Taken now, paid by waiting outside the lock: later callers queue behind this debt.
      b.tokens = tokens - 1;
    } finally {
      lock.unlock();
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    return true;
  }

  private void sweep(long now) {
    lastSweep = now;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.tokens + (now - b.last) * (perSecond / 1e9) >= perSecond) {
        it.remove();
      }
    }
  }
}
