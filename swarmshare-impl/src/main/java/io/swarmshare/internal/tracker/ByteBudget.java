package io.swarmshare.internal.tracker;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A shared allowance of bytes, so that many connections each sending a large body cannot make
 * a server buffer more than a fixed total. Thread-safe.
 */
final class ByteBudget {
  /** Semaphore permits are ints, so a permit stands for this many bytes. */
  private static final int UNIT = 1024;
  private final Semaphore permits;

  ByteBudget(long bytes) {
    this.permits = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / UNIT)), true);
  }

  /**
   * Takes {@code bytes} from the budget, waiting at most {@code wait}; false if they did not
   * become free in time.
   */
  boolean tryTake(long bytes, Duration wait) throws InterruptedException {
    return permits.tryAcquire(units(bytes), wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Gives back what {@link #tryTake} took. */
  void give(long bytes) {
    permits.release(units(bytes));
  }

  private static int units(long bytes) {
    return (int) Math.max(1, (bytes + UNIT - 1) / UNIT);
  }
}
