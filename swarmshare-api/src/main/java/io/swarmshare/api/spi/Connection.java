package io.swarmshare.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One bidirectional byte stream between two endpoints. One thread may read while another
 * writes; two threads must not read (or write) at once. Closing from any thread unblocks both.
 */
public interface Connection extends AutoCloseable {
  /**
   * The stream of bytes from the other side.
   *
   * @return the input stream; the same one on every call
   * @throws IOException if the connection is closed or broken
   */
  InputStream input() throws IOException;

  /**
   * The stream of bytes to the other side; callers buffer and flush.
   *
   * @return the output stream; the same one on every call
   * @throws IOException if the connection is closed or broken
   */
  OutputStream output() throws IOException;

  /** {@return the other side's address, as the socket sees it (never as the other side claims)} */
  InetSocketAddress remoteAddress();

  /**
   * This side's address of the connection (the interface the other side reached), or null if
   * the transport cannot tell. A tracker uses it to hand peers on its own host to remote
   * downloaders under an address they can reach.
   *
   * @return the local address, or null
   */
  default @Nullable InetSocketAddress localAddress() {
    return null;
  }

  /**
   * How long a read may block before it fails with {@link java.net.SocketTimeoutException};
   * zero waits forever.
   *
   * @param timeout the longest a read may block; zero for no limit
   * @throws IOException if the connection is closed or the timeout cannot be set
   */
  void readTimeout(Duration timeout) throws IOException;

  /**
   * A channel to write to the other side without copying through the heap, for example so a
   * file can be sent with {@code FileChannel.transferTo}; null when the transport cannot (TLS
   * encrypts in user space). Writes to it and to {@link #output()} must not interleave unflushed.
   *
   * @return the channel, or null
   */
  default @Nullable WritableByteChannel zeroCopyChannel() {
    return null;
  }

  /**
   * A channel to read from the other side straight into a caller's (typically direct) buffer,
   * without a copy through the heap; null when the transport cannot (TLS decrypts in user space).
   * It is the source of {@link #input()}: a caller that reads both must not leave bytes of one
   * read ahead in its own buffers when it switches to the other, so a transport that offers it
   * must not read ahead inside {@code input()} either. Reads from it do not honour
   * {@link #readTimeout}; a caller bounds them itself, for example by closing the connection.
   *
   * @return the channel, or null
   */
  default @Nullable ReadableByteChannel directInput() {
    return null;
  }

  /** {@return the authenticated identity of the other side (TLS certificate subject), if any} */

  default Optional<String> authenticatedPeer() {
    return Optional.empty();
  }

  /**
   * The certificate the other side proved it holds (TLS: the first of its chain), if any. Its
   * {@link io.swarmshare.api.PeerId#fromCertificate} is the only peer id that side may claim.
   *
   * @return the other side's certificate, or empty on a plain connection
   */
  default Optional<Certificate> peerCertificate() {
    return Optional.empty();
  }

  /** Closes both directions; idempotent. */
  @Override
  void close();
}
