package io.swarmshare.internal.tracker;

import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TrackerServer} protects itself: how many connections it keeps, how long it waits
 * on a silent or slow one, and how many body bytes it buffers at once across all connections.
 *
 * @param self the tracker's own id, sent in its {@code hello}
 * @param maxConnections most open connections; one more is answered {@code busy} and closed
 * @param idleTimeout how long a connection may stay silent between frames
 * @param frameTimeout how long one frame may take to arrive once its first byte has
 * @param writeTimeout how long one reply may take to send before the connection is dropped
 * @param bodyBudget most request body bytes buffered at once, over all connections
 * @param limits the frame limits
 */
public record ServerSettings(
    PeerId self,
    int maxConnections,
    Duration idleTimeout,
    Duration frameTimeout,
    Duration writeTimeout,
    long bodyBudget,
    Limits limits) {
  /**
   * Heap one idle connection takes, rounded up: {@code bin/tracker-bench} measured 42 KiB per
   * connection with 10 000 open (docs/PERFORMANCE.md, "Tracker benchmark").
   */
  static final long HEAP_PER_CONNECTION = 48 * 1024;

  /**
   * {@link #defaultMaxConnections()} connections, 2 minutes idle, 60 s per frame and per reply,
   * 128 MiB of bodies in flight.
   */
  public static ServerSettings defaults() {
    return new ServerSettings(PeerId.random(), defaultMaxConnections(), Duration.ofMinutes(2), Duration.ofSeconds(60),
        Duration.ofSeconds(60), 128L << 20, Limits.DEFAULTS);
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
    Objects.requireNonNull(limits, "limits");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
    }
    positive(idleTimeout, "idle timeout");
    positive(frameTimeout, "frame timeout");
    positive(writeTimeout, "write timeout");
    if (bodyBudget < io.swarmshare.api.Manifest.maxCanonicalLength()) {
      throw new IllegalArgumentException("the body budget must hold the largest manifest ("
          + io.swarmshare.api.Manifest.maxCanonicalLength() + " bytes)");
    }
  }

  /** A copy with another connection cap. */
  public ServerSettings withMaxConnections(int max) {
    return new ServerSettings(self, max, idleTimeout, frameTimeout, writeTimeout, bodyBudget, limits);
  }

  /** A copy with other idle and frame timeouts. */
  public ServerSettings withTimeouts(Duration idle, Duration frame) {
    return new ServerSettings(self, maxConnections, idle, frame, writeTimeout, bodyBudget, limits);
  }

  /** A copy with another own id. */
  public ServerSettings withSelf(PeerId id) {
    return new ServerSettings(id, maxConnections, idleTimeout, frameTimeout, writeTimeout, bodyBudget, limits);
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
