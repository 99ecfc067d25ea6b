package io.swarmshare.internal.tracker;

import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.Acceptor;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * Serves any {@link Tracker} on a {@link Transport} listener, speaking the protocol of
 * {@code docs/PROTOCOL.md}: one virtual thread per connection, blocking I/O, at most
 * {@link ServerSettings#connections()} connections in all and per address (one more is answered
 * {@code busy} and closed), a deadline for the hello, idle, frame and write timeouts, a rate for
 * each address's announces, and a shared budget for request bodies. Nothing a client sends can
 * stop the server or make it hold more than those bounds.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes every connection and does not close
 * the tracker it serves.
 */
public final class TrackerServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.swarmshare.tracker");

  private final Listener listener;
  private final Watchdog watchdog;
  private final Acceptor acceptor;
  private final TrackerCounters counters = new TrackerCounters();
  private volatile boolean closed;

  private TrackerServer(Tracker tracker, Listener listener, ServerSettings settings) {
    this.listener = listener;
    ByteBudget bodies = new ByteBudget(settings.bodyBudget());
    AnnounceRate announces = new AnnounceRate(settings.announcesPerSecond());
    OriginTracker origins = OriginTracker.of(tracker);
    this.watchdog = new Watchdog("swarmshare-tracker-watchdog", Watchdog.tickFor(settings.writeTimeout()));
    this.acceptor = Acceptor.start("tracker", listener, settings.connections(),
        admitted -> new TrackerSession(tracker, origins, admitted, settings, bodies, announces, counters, watchdog).run());
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
    LOG.log(Level.DEBUG, "tracker listening on {0} ({1})", listener.localAddress(), transport.name());
    return server;
  }

  /** The address actually bound, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return listener.localAddress();
  }

  /** What this server has answered since it started. */
  public TrackerCounters counters() {
    return counters;
  }

  /** How many connections are open now; for tests and monitoring. */
  public int openConnections() {
    return acceptor.openConnections();
  }

  /** Stops accepting and closes every connection; idempotent. The tracker itself stays open. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    acceptor.close();
    watchdog.close();
    LOG.log(Level.DEBUG, "tracker on {0} stopped", listener.localAddress());
  }
}
