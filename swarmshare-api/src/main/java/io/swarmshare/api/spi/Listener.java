package io.swarmshare.api.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening endpoint that hands out incoming connections. Thread-safe. */
public interface Listener extends AutoCloseable {
  /**
   * Waits for the next incoming connection.
   *
   * @return the accepted connection
   * @throws IOException once the listener is closed, or if accepting fails
   */
  Connection accept() throws IOException;

  /** {@return the address actually bound, with the real port when 0 was asked for} */

  InetSocketAddress localAddress();

  /** Stops listening; a thread blocked in {@link #accept()} gets an exception. Idempotent. */
  @Override
  void close();
}
