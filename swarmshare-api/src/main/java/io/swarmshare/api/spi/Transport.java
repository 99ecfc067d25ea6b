package io.swarmshare.api.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How connections are made: plain TCP, TLS, or in memory for tests. The protocol runs the same
 * over each. Implementations are thread-safe.
 */
public interface Transport {
  /** {@return a short name for messages and logs, for example {@code "tcp"} or {@code "tls"}} */
  String name();

  /**
   * Opens a connection, waiting at most {@code timeout}.
   *
   * @param address the other side; may be unresolved (a host name not yet looked up)
   * @param timeout the longest to wait for the connection to be made
   * @return the open connection
   * @throws IOException if the other side cannot be reached or refuses
   */
  Connection connect(InetSocketAddress address, Duration timeout) throws IOException;

  /**
   * Starts listening on {@code bind} (port 0 picks a free port).
   *
   * @param bind the local address and port to listen on
   * @return the listener

   * @throws IOException if the address is in use or cannot be bound
   */
  Listener listen(InetSocketAddress bind) throws IOException;
}
