package io.swarmshare.internal.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * How many connections a server (a tracker or a peer serving chunks) keeps, how many of them one
 * address may hold, and how long a new connection has to finish its {@code hello}. The
 * {@link Acceptor} of both servers enforces them; {@code docs/SECURITY.md} lists the defaults.
 *
 * @param maxConnections most open connections in all; one more is answered {@code busy} and closed
 * @param maxPerAddress most open connections from one address (an IPv4 address, or the /64 of an
 *     IPv6 one), so that one machine cannot take every slot; one more is answered {@code busy} and
 *     closed
 * @param helloTimeout how long a connection may take from its accept to the end of its
 *     {@code hello} (with TLS, the handshake included) before it is closed
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress, Duration helloTimeout) {
  /** 15 s: a TLS handshake may take up to its own 10 s timeout, and the hello comes after it. */
  public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(15);

  /**
   * A tracker's defaults: 1024 connections, 64 from one address (a host running several clients,
   * or a small office behind one NAT address; raise it for a larger one).
   */
  public static final ConnectionLimits TRACKER = new ConnectionLimits(1024, 64, DEFAULT_HELLO_TIMEOUT);

  /**
   * A peer server's defaults: 256 connections, 32 from one address (a downloader opens one per
   * download; raise it to simulate many peers on one host).
   */
  public static final ConnectionLimits PEER = new ConnectionLimits(256, 32, DEFAULT_HELLO_TIMEOUT);

  /** Checks that every cap and the timeout are positive. */
  public ConnectionLimits {
    Objects.requireNonNull(helloTimeout, "helloTimeout");
    if (maxConnections < 1 || maxPerAddress < 1) {
      throw new IllegalArgumentException("connection caps must be positive, got " + maxConnections + " and "
          + maxPerAddress);
    }
    if (helloTimeout.isNegative() || helloTimeout.isZero()) {
      throw new IllegalArgumentException("hello timeout must be positive, got " + helloTimeout);
    }
  }

  /** A copy with another cap on all connections. */
  public ConnectionLimits withMaxConnections(int max) {
    return new ConnectionLimits(max, maxPerAddress, helloTimeout);
  }

  /** A copy with another cap on the connections of one address. */
  public ConnectionLimits withMaxPerAddress(int max) {
    return new ConnectionLimits(maxConnections, max, helloTimeout);
  }

  /** A copy with another hello timeout. */
  public ConnectionLimits withHelloTimeout(Duration timeout) {
    return new ConnectionLimits(maxConnections, maxPerAddress, timeout);
  }
}
