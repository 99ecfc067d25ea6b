package io.swarmshare.internal.protocol;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Accepts the connections of a server (the tracker's and the peer server's alike) and admits
 * each within its {@link ConnectionLimits}: at most so many in all and so many from one address
 * (one more is told {@code busy} and closed), and each must finish its {@code hello} within the
 * hello timeout or it is closed. An admitted connection is served on its own virtual thread.
 * Accept failures (out of file descriptors and the like) are retried with a growing pause, never
 * in a spin.
 *
 * <p>Thread-safe. {@link #close()} stops accepting and closes every admitted connection.
 */
public final class Acceptor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.swarmshare.acceptor");
  /**
   * Refusals in progress at once; past this a refused connection is closed without a word, so a
   * flood of connects cannot pile up threads that each wait a moment to say {@code busy}.
   */
  private static final int MAX_REFUSALS = 128;

  /** Serves one admitted connection; the acceptor closes it when this returns. */
  @FunctionalInterface
  public interface Handler {
    void serve(Admitted connection);
  }

  private final String role;
  private final Listener listener;
  private final ConnectionLimits limits;
  private final Handler handler;
  private final Watchdog helloDeadlines;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final ReentrantLock countLock = new ReentrantLock();
  private final Map<String, Integer> perAddress = new HashMap<>();
  private final AtomicInteger refusing = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;

  private Acceptor(String role, Listener listener, ConnectionLimits limits, Handler handler) {
    this.role = role;
    this.listener = listener;
    this.limits = limits;
    this.handler = handler;
    this.helloDeadlines = new Watchdog("swarmshare-" + role + "-hello-watchdog", Watchdog.tickFor(limits.helloTimeout()));
    this.thread = Thread.ofVirtual().name("swarmshare-" + role + "-accept").unstarted(this::acceptLoop);
  }

  /**
   * Starts accepting on {@code listener}; {@code role} ({@code "tracker"}, {@code "peer"}) names
   * threads and is said in refusals.
   */
  public static Acceptor start(String role, Listener listener, ConnectionLimits limits, Handler handler) {
    Acceptor a = new Acceptor(role, listener, limits, handler);
    a.thread.start();
    return a;
  }

  /**
   * The key connections are counted under: the IPv4 address, or the first 64 bits of an IPv6
   * one (a single host is routinely given a whole /64).
   */
  public static String addressKey(InetSocketAddress remote) {
    InetAddress a = remote.getAddress();
    if (a == null) {
      return remote.getHostString();
    }
    if (a instanceof Inet6Address) {
      byte[] prefix = Arrays.copyOf(a.getAddress(), 16);
      Arrays.fill(prefix, 8, 16, (byte) 0);
      try {
        return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
      } catch (IOException e) {
        throw new IllegalStateException(e); // 16 bytes are always an IPv6 address
      }
    }
    return a.getHostAddress();
  }

  /** How many connections are admitted now. */
  public int openConnections() {
    return open.size();
  }

  /** How many connections from {@code address} (as {@link #addressKey} gives it) are admitted now. */
  public int openFrom(String address) {
    countLock.lock();
    try {
      return perAddress.getOrDefault(address, 0);
    } finally {
      countLock.unlock();
    }
  }

  private void acceptLoop() {
    long backoffMillis = 0;
    while (!closed) {
      Connection c;
      try {
        c = listener.accept();
        backoffMillis = 0;
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        // Out of file descriptors and the like: retrying at once would spin, so back off a little.
        backoffMillis = Math.min(1000, Math.max(10, backoffMillis * 2));
        LOG.log(Level.DEBUG, "{0}: accept failed: {1}; retrying in {2} ms", role, e.getMessage(), backoffMillis);
        LockSupport.parkNanos(backoffMillis * 1_000_000);
        continue;
      }
      String address = addressKey(c.remoteAddress());
      String refusal = admit(address, c);
      if (refusal != null) {
        refuse(c, refusal);
        continue;
      }
      Admitted admitted = new Admitted(c, address, helloDeadlines.guard(c::close));
      admitted.helloGuard.arm(limits.helloTimeout());
      Thread.ofVirtual().name("swarmshare-" + role + "-conn").start(() -> run(admitted));
      if (closed) {
        c.close();
      }
    }
  }

  /** Counts a new connection from {@code address}; null if admitted, else why not. */
  private @Nullable String admit(String address, Connection c) {
    countLock.lock();
    try {
      int from = perAddress.getOrDefault(address, 0);
      if (open.size() >= limits.maxConnections()) {
        return "the " + role + " has " + limits.maxConnections() + " connections open, its limit; try later";
      }
      if (from >= limits.maxPerAddress()) {
        return "your address has " + from + " connections open to this " + role + ", its limit; close some first";
      }
      perAddress.put(address, from + 1);
      open.add(c);
      return null;
    } finally {
      countLock.unlock();
    }
  }

  private void release(Admitted a) {
    countLock.lock();
    try {
      perAddress.computeIfPresent(a.address, (k, n) -> n <= 1 ? null : n - 1);
      open.remove(a.connection);
    } finally {
      countLock.unlock();
    }
  }

  private void run(Admitted a) {
    try {
      handler.serve(a);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, role + ": serving " + a.connection.remoteAddress() + " failed", e);
    } finally {
      a.helloGuard.close();
      a.connection.close();
      release(a);
    }
  }

  /** Tells a connection over a cap why it is closed; a fresh socket's buffer takes the frame. */
  private void refuse(Connection c, String why) {
    if (refusing.incrementAndGet() > MAX_REFUSALS) {
      refusing.decrementAndGet();
      c.close();
      return;
    }
    Thread.ofVirtual().name("swarmshare-" + role + "-refuse").start(() -> {
      try {
        Errors.sendQuietly(new FrameWriter(c.output(), 512), -1, new FrameException(ErrorCode.BUSY, why));
        LOG.log(Level.DEBUG, "{0}: refused {1}: {2}", role, c.remoteAddress(), why);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "{0}: refusing {1} failed: {2}", role, c.remoteAddress(), e.getMessage());
      } finally {
        // Closing at once could reset the connection before the other side reads why.
        Errors.lingerThenClose(c);
        refusing.decrementAndGet();
      }
    });
  }

  /** Stops accepting and closes every admitted connection; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listener.close();
    for (Connection c : open) {
      c.close();
    }
    helloDeadlines.close();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A connection the acceptor admitted, with the address it is counted under. */
  public static final class Admitted {
    private final Connection connection;
    private final String address;
    private final Watchdog.Guard helloGuard;

    private Admitted(Connection connection, String address, Watchdog.Guard helloGuard) {
      this.connection = connection;
      this.address = address;
      this.helloGuard = helloGuard;
    }

    /** The connection. */
    public Connection connection() {
      return connection;
    }

    /** The key its address is counted under ({@link #addressKey}). */
    public String address() {
      return address;
    }

    /** Says the hello is done, so the hello deadline no longer closes the connection. */
    public void helloDone() {
      helloGuard.close();
    }
  }
}
