package io.swarmshare.internal.peer;

import java.util.concurrent.TimeUnit;

/**
 * Counts the frames one connection's other side sent that nobody asked for, against a small
 * budget: {@value #BUDGET} frames, refilled by one every {@value #REFILL_SECONDS} s. Such frames
 * are never taken as a sign of life (a peer that only chatters is still stalled); past the budget
 * the connection is dropped, so a peer cannot keep one open, or a reader busy, with junk.
 * docs/PROTOCOL.md (section 8) says what counts. Used by one reading thread; not thread-safe.
 */
public final class UnsolicitedFrames {
  /** Unsolicited frames a connection may send in a burst; races can make an honest peer send a few. */
  public static final int BUDGET = 16;
  /** One more unsolicited frame is allowed for every this many seconds of the connection. */
  public static final int REFILL_SECONDS = 5;

  private static final long REFILL_NANOS = TimeUnit.SECONDS.toNanos(REFILL_SECONDS);

  private long tokens = BUDGET;
  private long refilled = System.nanoTime();
  private long total;

  /** Counts one unsolicited frame; true if that takes the connection over its budget. */
  public boolean count() {
    total++;
    long now = System.nanoTime();
    long earned = (now - refilled) / REFILL_NANOS;
    if (earned > 0) {
      tokens = Math.min(BUDGET, tokens + earned);
      refilled += earned * REFILL_NANOS;
    }
    if (tokens == 0) {
      return true;
    }
    tokens--;
    return false;
  }

  /** Unsolicited frames counted so far. */
  public long total() {
    return total;
  }
}
