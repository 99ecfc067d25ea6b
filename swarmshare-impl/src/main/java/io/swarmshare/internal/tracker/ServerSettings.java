package io.swarmshare.internal.tracker;

import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.ConnectionLimits;
import io.swarmshare.internal.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TrackerServer} protects itself: how many connections it keeps (in all and per
 * address), how long it waits on a silent or slow one, how fast one address may announce,
 * and how many body bytes it buffers at once across all connections.
 *
 * @param self the tracker's own id, sent in its {@code hello}
 * @param connections the connection caps and the hello deadline
 * @param idleTimeout how long a connection may stay silent between frames
 * @param frameTimeout how long one frame may take to arrive once its first byte has
 * @param writeTimeout how long one reply may take to send before the connection is dropped
 * @param bodyBudget most request body bytes buffered at once, over all connections
 * @param announcesPerSecond {@code announce} and {@code leave} requests one address may make per
 *     second (with a burst of as many); more wait their turn, and one that would wait over a
 *     second is answered {@code busy}
 * @param limits the frame limits
 */
public record ServerSettings(
    PeerId self,
    ConnectionLimits connections,
    Duration idleTimeout,
    Duration frameTimeout,
    Duration writeTimeout,
    long bodyBudget,
    int announcesPerSecond,
    Limits limits) {
  /**
   * 500 announces per second from one address: a client sharing the most files a peer may announce
   * (4 096) re-announces them every 20 s at about 200 per second.
   */
  public static final int DEFAULT_ANNOUNCES_PER_SECOND = 500;

  /**
   * Heap one idle connection takes, rounded up: {@code bin/tracker-bench} measured 42 KiB per
   * connection with 10 000 open (docs/PERFORMANCE.md, "Tracker benchmark").
   */
  static final long HEAP_PER_CONNECTION = 48 * 1024;

  /**
   * {@link ConnectionLimits#TRACKER} with {@link #defaultMaxConnections()} in all, 2 minutes idle,
   * 60 s per frame and per reply, 128 MiB of bodies in flight,
   * {@value #DEFAULT_ANNOUNCES_PER_SECOND} announces per second per address.
   */
  public static ServerSettings defaults() {
    return new ServerSettings(PeerId.random(), ConnectionLimits.TRACKER.withMaxConnections(defaultMaxConnections()),
        Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofSeconds(60), 128L << 20,
        DEFAULT_ANNOUNCES_PER_SECOND, Limits.DEFAULTS);
  }

  /** Settings with the default per-address caps and hello deadline, and at most {@code maxConnections} in all. */
  public ServerSettings(PeerId self, int maxConnections, Duration idleTimeout, Duration frameTimeout,
      Duration writeTimeout, long bodyBudget, Limits limits) {
    this(self, ConnectionLimits.TRACKER.withMaxConnections(maxConnections), idleTimeout, frameTimeout, writeTimeout,
        bodyBudget, DEFAULT_ANNOUNCES_PER_SECOND, limits);
  }

  /**
   * The default connection cap: as many idle connections as a quarter of this JVM's maximum heap
   * holds, at least 1 024 and at most 16 384 (16 384 from a 3 GiB heap up, the JVM's default on a
   * machine with 12 GiB of memory). Every client holds one connection while it runs, so this is
   * about how many clients one node serves at once.
   */
  public static int defaultMaxConnections() {
    return Math.clamp(Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_CONNECTION, 1024, 16_384);
  }

  /** Checks that every number is positive and the body budget holds the largest manifest. */
  public ServerSettings {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(limits, "limits");
    positive(idleTimeout, "idle timeout");
    positive(frameTimeout, "frame timeout");
    positive(writeTimeout, "write timeout");
    if (bodyBudget < io.swarmshare.api.Manifest.maxCanonicalLength()) {
      throw new IllegalArgumentException("the body budget must hold the largest manifest ("
          + io.swarmshare.api.Manifest.maxCanonicalLength() + " bytes)");
    }
    if (announcesPerSecond < 1) {
      throw new IllegalArgumentException("announcesPerSecond must be positive, got " + announcesPerSecond);
    }
  }

  /** Most open connections in all. */
  public int maxConnections() {
    return connections.maxConnections();
  }

  /** A copy with another connection cap. */
  public ServerSettings withMaxConnections(int max) {
    return withConnections(connections.withMaxConnections(max));
  }

  /** A copy with other connection caps and hello deadline. */
  public ServerSettings withConnections(ConnectionLimits limits) {
    return new ServerSettings(self, limits, idleTimeout, frameTimeout, writeTimeout, bodyBudget, announcesPerSecond,
        this.limits);
  }

  /** A copy with another per-address announce rate. */
  public ServerSettings withAnnouncesPerSecond(int rate) {
    return new ServerSettings(self, connections, idleTimeout, frameTimeout, writeTimeout, bodyBudget, rate, limits);
  }

  /** A copy with other idle and frame timeouts. */
  public ServerSettings withTimeouts(Duration idle, Duration frame) {
    return new ServerSettings(self, connections, idle, frame, writeTimeout, bodyBudget, announcesPerSecond, limits);
  }

  /** A copy with another own id. */
  public ServerSettings withSelf(PeerId id) {
    return new ServerSettings(id, connections, idleTimeout, frameTimeout, writeTimeout, bodyBudget, announcesPerSecond,
        limits);
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
