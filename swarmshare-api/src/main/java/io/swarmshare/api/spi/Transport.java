package io.swarmshare.api.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How connections are made: plain TCP, TLS, or in memory for tests. The protocol runs the same
 * over each. Implementations are thread-safe.
 */
public interface Transport {
  /** A short name for messages and logs, for example {@code "tcp"} or {@code "tls"}. */
  String name();

  /**
   * Opens a connection, waiting at most {@code timeout}.
   *
   * @throws IOException if the other side cannot be reached or refuses
   */
  Connection connect(InetSocketAddress address, Duration timeout) throws IOException;

  /**
   * Starts listening on {@code bind} (port 0 picks a free port).
   *
   * @throws IOException if the address is in use or cannot be bound
   */
  Listener listen(InetSocketAddress bind) throws IOException;
}
