package io.swarmshare.internal.transport;

import java.util.Objects;
import io.swarmshare.api.spi.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One TLS connection. An accepted one shakes hands at its first use ({@link #input()},
 * {@link #output()}, {@link #authenticatedPeer()}), on the thread that serves it; one that was
 * opened is ready. TLS failures surface as {@link SSLException}s whose message says what to do
 * (see {@link TlsFailures}), whether they happen in the handshake or at the first read, which is
 * where a TLS 1.3 client learns that the server refused its certificate.
 *
 * <p>{@link #close()} closes the TCP socket at once, without a TLS {@code close_notify}: sending
 * one could block behind a stalled write, and the protocol's frames carry their lengths, so a
 * truncated stream is detected without it.
 */
final class TlsConnection implements Connection {
  /** Shakes hands on an accepted socket. */
  interface Opener {
    SSLSocket open() throws IOException;
  }

  private final Socket raw;
  private final InetSocketAddress remote;
  private final @Nullable Opener opener;
  private final ReentrantLock openLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable SSLSocket ssl;
  private volatile @Nullable IOException openFailure;
  private volatile int readTimeoutMillis;
  private @Nullable InputStream in;
  private @Nullable OutputStream out;

  /** An opened connection, after its handshake and the server's first byte, {@code first}. */
  TlsConnection(Socket raw, InetSocketAddress remote, SSLSocket ssl, int first) throws IOException {
    this.raw = raw;
    this.remote = remote;
    this.opener = null;
    ready(ssl, first);
  }

  /** An accepted connection that shakes hands with {@code opener} at first use. */
  TlsConnection(Socket raw, InetSocketAddress remote, Opener opener) {
    this.raw = raw;
    this.remote = remote;
    this.opener = opener;
  }

  private void ready(SSLSocket s, int first) throws IOException {
    s.setSoTimeout(readTimeoutMillis);
    this.in = new Input(s.getInputStream(), first);
    this.out = new Output(s.getOutputStream());
    this.ssl = s;
  }

  /** The TLS socket, shaking hands first if this side accepted and has not yet. */
  private SSLSocket open() throws IOException {
    SSLSocket s = ssl;
    if (s != null) {
      return s;
    }
    openLock.lock();
    try {
      s = ssl;
      if (s != null) {
        return s;
      }
      IOException failed = openFailure;
      if (failed != null) {
        throw failed;
      }
      if (opener == null || closed.get()) {
        throw new IOException("the connection to " + remote + " is closed");
      }
      try {
        s = opener.open();
        ready(s, -1);
        return s;
      } catch (IOException e) {
        openFailure = e;
        close();
        throw e;
      }
    } finally {
      openLock.unlock();
    }
  }

  @Override
  public InputStream input() throws IOException {
    open();
    return Objects.requireNonNull(in, "set by open()");
  }

  @Override
  public OutputStream output() throws IOException {
    open();
    return Objects.requireNonNull(out, "set by open()");
  }

  @Override
  public @Nullable InetSocketAddress localAddress() {
    return raw.getLocalSocketAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    readTimeoutMillis = millis;
    SSLSocket s = ssl;
    if (s != null) {
      s.setSoTimeout(millis);
    }
  }

  /** The subject of the certificate the other side proved it holds, e.g. {@code CN=seeder-1,O=Example}. */
  @Override
  public Optional<String> authenticatedPeer() {
    try {
      return Optional.of(open().getSession().getPeerPrincipal().getName());
    } catch (IOException e) {
      // not (or no longer) authenticated: nothing to vouch for
      return Optional.empty();
    }
  }

  /** The first certificate of the chain the other side proved it holds. */
  @Override
  public Optional<Certificate> peerCertificate() {
    try {
      Certificate[] chain = open().getSession().getPeerCertificates();
      return chain.length == 0 ? Optional.empty() : Optional.of(chain[0]);
    } catch (IOException e) {
      // not (or no longer) authenticated: nothing to vouch for
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        raw.close();
      } catch (IOException ignored) {
        // already broken; nothing more to release
      }
    }
  }

  @Override
  public String toString() {
    return "tls:" + remote;
  }

  private SSLException explain(SSLException e) {
    return TlsFailures.explain(e, remote, ssl);
  }

  /**
   * Turns TLS failures met while reading into messages a user can act on, and gives back the
   * byte the client read ahead to prove the server accepted it.
   */
  private final class Input extends InputStream {
    private final InputStream in;
    private final byte[] one = new byte[1];
    private int first;

    Input(InputStream in, int first) {
      this.in = in;
      this.first = first;
    }

    @Override
    public int read() throws IOException {
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (first >= 0) {
        b[off] = (byte) first;
        first = -1;
        return 1;
      }
      try {
        return in.read(b, off, len);
      } catch (SSLException e) {
        throw explain(e);
      } catch (SocketException e) {
        // An accepted connection reads through the JDK's SequenceInputStream (for the byte read to
        // tell TLS from plain), which closes the socket when the other side ends the stream without
        // a close_notify; the JDK then fails on the closed socket. That is an end of stream.
        if (!closed.get() && raw.isClosed()) {
          return -1;
        }
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      return first >= 0 ? 1 : in.available();
    }

    @Override
    public void close() {
      TlsConnection.this.close();
    }
  }

  /** Turns TLS failures met while writing into messages a user can act on. */
  private final class Output extends OutputStream {
    private final OutputStream out;

    Output(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (SSLException e) {
        throw explain(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (SSLException e) {
        throw explain(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (SSLException e) {
        throw explain(e);
      }
    }

    @Override
    public void close() {
      TlsConnection.this.close();
    }
  }
}
