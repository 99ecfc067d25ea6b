package io.swarmshare.internal.peer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket shared by every connection of a client, so a limit such as 20 MB/s holds for
 * the client as a whole. {@link #acquire} blocks the calling (virtual) thread until the bytes
 * may pass; with no limit it returns at once. The bucket holds at most one second of tokens, so
 * an idle period does not turn into a burst larger than the rate.
 */
public final class RateLimiter {
  private static final RateLimiter UNLIMITED = new RateLimiter(0);

  private final long bytesPerSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private double tokens;
  private long last = System.nanoTime();

  private RateLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
  }

  /** A limiter of {@code bytesPerSecond}; 0 or less means no limit. */
  public static RateLimiter of(long bytesPerSecond) {
    return bytesPerSecond <= 0 ? UNLIMITED : new RateLimiter(bytesPerSecond);
  }

  /** The limit in bytes per second, 0 for none. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * How long a caller of {@link #acquire} would wait now for one byte, in nanoseconds: the debt
   * others have already queued. 0 without a limit.
   */
  public long backlogNanos() {
    if (bytesPerSecond <= 0) {
      return 0;
    }
    lock.lock();
    try {
      refill();
      return debtNanos(tokens);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Books {@code bytes} and waits until they may pass, unless the wait for the first of them
   * would be longer than {@code maxBacklogNanos}: then books nothing and returns that wait.
   * Checking and booking in one step keeps the promise when many connections ask at once (200
   * requests reaching an idle seed together would otherwise all see an empty queue and book
   * 50 seconds of its uplink).
   *
   * @return 0 once the bytes may pass, or the wait in nanoseconds that made it refuse
   */
  public long acquireWithin(long bytes, long maxBacklogNanos) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return 0;
    }
    long waitNanos;
    lock.lock();
    try {
      refill();
      long backlog = debtNanos(tokens);
      if (backlog > maxBacklogNanos) {
        return backlog;
      }
      tokens -= bytes;
      // Debt is paid by waiting outside the lock, so other threads queue behind the debt, not the lock.
      waitNanos = debtNanos(tokens);
    } finally {
      lock.unlock();
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    return 0;
  }

  /**
   * Gives back {@code bytes} booked by {@link #acquireWithin} that were never sent (the request
   * was withdrawn while it waited its turn), so that a caller from now on may use their share of
   * the limit. Callers already waiting keep their turn. The bucket still holds at most one
   * second of tokens.
   */
  public void refund(long bytes) {
    if (bytesPerSecond <= 0 || bytes <= 0) {
      return;
    }
    lock.lock();
    try {
      refill();
      tokens = Math.min(bytesPerSecond, tokens + bytes);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code bytes} may pass. */
  public void acquire(long bytes) throws InterruptedException {
    acquireWithin(bytes, Long.MAX_VALUE);
  }

  /** Adds the tokens earned since the last call, up to one second's worth; the caller holds the lock. */
  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(bytesPerSecond, tokens + (now - last) * (bytesPerSecond / 1e9));
    last = now;
  }

  /** The wait, in nanoseconds, before a bucket at {@code level} tokens (below 0: a debt) lets a byte pass. */
  private long debtNanos(double level) {
    return level >= 0 ? 0 : (long) (-level / bytesPerSecond * 1e9);
  }
}
