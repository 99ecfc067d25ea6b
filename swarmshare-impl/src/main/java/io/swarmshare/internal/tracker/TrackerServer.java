package io.swarmshare.internal.tracker;

import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves any {@link Tracker} on a {@link Transport} listener, speaking the protocol of
 * {@code docs/PROTOCOL.md}: one virtual thread per connection, blocking I/O, at most
 * {@link ServerSettings#maxConnections()} connections (one more is answered {@code busy} and
 * closed), idle, frame and write timeouts, and a shared budget for request bodies. Nothing a
 * client sends can stop the server or make it hold more than those bounds.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes every connection and does not close
 * the tracker it serves.
 */
public final class TrackerServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.swarmshare.tracker");

  private final Tracker tracker;
  private final Listener listener;
  private final ServerSettings settings;
  private final ByteBudget bodies;
  private final Watchdog watchdog;
  private final Set<TrackerSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final ThreadFactory connectionThreads = Thread.ofVirtual().name("swarmshare-tracker-conn-", 0).factory();
  private final Thread acceptor;
  private volatile boolean closed;

  private TrackerServer(Tracker tracker, Listener listener, ServerSettings settings) {
    this.tracker = tracker;
    this.listener = listener;
    this.settings = settings;
    this.bodies = new ByteBudget(settings.bodyBudget());
    Duration tick = settings.writeTimeout().dividedBy(4);
    this.watchdog = new Watchdog("swarmshare-tracker-watchdog",
        tick.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tick);
    this.acceptor = Thread.ofVirtual().name("swarmshare-tracker-accept").unstarted(this::acceptLoop);
  }

  /**
   * Binds {@code bind} and starts serving {@code tracker}.
   *
   * @throws IOException if the address cannot be bound (for example, the port is in use)
   */
  public static TrackerServer start(Tracker tracker, Transport transport, InetSocketAddress bind,
      ServerSettings settings) throws IOException {
    Listener listener = transport.listen(bind);
    TrackerServer server = new TrackerServer(tracker, listener, settings);
    server.acceptor.start();
    LOG.log(Level.DEBUG, "tracker listening on {0} ({1})", listener.localAddress(), transport.name());
    return server;
  }

  /** The address actually bound, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return listener.localAddress();
  }

  /** How many connections are open now; for tests and monitoring. */
  public int openConnections() {
    return open.get();
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
        LOG.log(Level.DEBUG, "accept failed: {0}; retrying in {1} ms", e.getMessage(), backoffMillis);
        LockSupport.parkNanos(backoffMillis * 1_000_000);
        continue;
      }
      if (open.incrementAndGet() > settings.maxConnections()) {
        open.decrementAndGet();
        connectionThreads.newThread(() -> refuse(c)).start();
        continue;
      }
      TrackerSession session = new TrackerSession(tracker, c, settings, bodies, watchdog, open::decrementAndGet);
      sessions.add(session);
      connectionThreads.newThread(() -> {
        try {
          session.run();
        } finally {
          sessions.remove(session);
        }
      }).start();
      if (closed) {
        session.close();
      }
    }
  }

  /** Tells a connection over the cap why it is closed; a fresh socket's buffer takes the frame. */
  private void refuse(Connection c) {
    try {
      Errors.sendQuietly(new FrameWriter(c.output(), 512), -1, new FrameException(
          ErrorCode.BUSY, "the tracker has " + settings.maxConnections() + " connections open, its limit; try later"));
      LOG.log(Level.DEBUG, "refused {0}: connection limit", c.remoteAddress());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "refusing {0} failed: {1}", c.remoteAddress(), e.getMessage());
    } finally {
      Errors.lingerThenClose(c);
    }
  }

  /** Stops accepting and closes every connection; idempotent. The tracker itself stays open. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listener.close();
    for (TrackerSession s : sessions) {
      s.close();
    }
    watchdog.close();
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.log(Level.DEBUG, "tracker on {0} stopped", listener.localAddress());
  }
}
