package io.swarmshare.internal.protocol;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes connections whose writes stall. A socket write has no timeout in Java, so a peer that
 * stops reading would block the writing thread for ever; each connection arms a
 * {@link Guard} around a write, and one virtual thread checks every guard once per tick and runs
 * the expiry action (typically closing the connection, which fails the write).
 *
 * <p>Thread-safe. The precision is one tick, which is enough: the deadlines are tens of seconds.
 */
public final class Watchdog implements AutoCloseable {
  /** The JVM-wide watchdogs of {@link #shared}, one per tick. */
  private static final ConcurrentHashMap<Long, Watchdog> SHARED = new ConcurrentHashMap<>();

  /**
   * The guards armed now. Only these are checked: a tracker has ten thousand connections and
   * a guard each, but few are in the middle of a write at any moment.
   */
  private final Set<Guard> armed = ConcurrentHashMap.newKeySet();
  private final long tickNanos;
  private final Thread thread;
  private volatile boolean closed;
  /** True while the thread sleeps for want of armed guards; arming one then wakes it. */
  private volatile boolean idle;

  /** Starts the checking thread, named {@code name}, waking every {@code tick}. */
  public Watchdog(String name, Duration tick) {
    this.tickNanos = Math.max(1_000_000L, tick.toNanos());
    this.thread = Thread.ofVirtual().name(name).start(this::run);
  }

  /**
   * The tick for guarding deadlines of {@code timeout}: a quarter of it, at most a second, so a
   * deadline is noticed within a quarter of its length.
   */
  public static Duration tickFor(Duration timeout) {
    return Duration.ofNanos(Math.min(TimeUnit.SECONDS.toNanos(1), timeout.toNanos() / 4));
  }

  /**
   * The one watchdog of this JVM that ticks every {@code tick}, started on first use and never
   * closed. For owners that are many and small, such as tracker clients: a service that embeds
   * thousands of them keeps one thread waking each tick, not one per client. It sleeps while it
   * guards nothing.
   */
  public static Watchdog shared(Duration tick) {
    long nanos = Math.max(1_000_000L, tick.toNanos());
    return SHARED.computeIfAbsent(nanos,
        n -> new Watchdog("swarmshare-shared-watchdog-" + (n / 1_000_000L) + "ms", Duration.ofNanos(n)));
  }

  /** A guard that runs {@code onExpiry} once if it stays armed past its deadline. */
  public Guard guard(Runnable onExpiry) {
    return new Guard(onExpiry);
  }

  private void run() {
    while (!closed) {
      idle = true;
      if (armed.isEmpty()) {
        // Until a guard is armed (arm() sees idle and unparks) or close(). A guard armed before
        // idle was set is seen by isEmpty(); one armed after sees idle.
        LockSupport.park();
        idle = false;
        continue;
      }
      idle = false;
      LockSupport.parkNanos(tickNanos);
      long now = System.nanoTime();
      for (Guard g : armed) {
        g.check(now);
      }
    }
  }

  private void wake() {
    if (idle) {
      LockSupport.unpark(thread);
    }
  }

  /** Stops checking; armed guards never fire after this. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  /** One connection's deadline. Arm and disarm from the writing thread. */
  public final class Guard implements AutoCloseable {
    private final Runnable onExpiry;
    /** System.nanoTime() deadline, or 0 when disarmed. */
    private volatile long deadline;
    private volatile boolean fired;
    private volatile boolean released;

    private Guard(Runnable onExpiry) {
      this.onExpiry = onExpiry;
    }

    /** Starts a deadline {@code timeout} from now. */
    public void arm(Duration timeout) {
      long d = System.nanoTime() + timeout.toNanos();
      deadline = d == 0 ? 1 : d;
      if (!fired && !released) {
        armed.add(this);
        wake();
      }
    }

    /** Ends the current deadline. */
    public void disarm() {
      deadline = 0;
      armed.remove(this);
    }

    /** True if the deadline passed and the expiry action ran. */
    public boolean fired() {
      return fired;
    }

    private void check(long now) {
      long d = deadline;
      if (d != 0 && now - d > 0 && !fired) {
        fired = true;
        armed.remove(this);
        try {
          onExpiry.run();
        } catch (RuntimeException ignored) {
          // the action only closes a connection; nothing to do if that fails
        }
      }
    }

    /** Stops watching this connection. */
    @Override
    public void close() {
      released = true;
      deadline = 0;
      armed.remove(this);
    }
  }
}
