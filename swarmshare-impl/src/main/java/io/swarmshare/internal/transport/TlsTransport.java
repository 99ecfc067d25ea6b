package io.swarmshare.internal.transport;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * TLS 1.3 over TCP with both sides authenticated: the accepting side demands a client
 * certificate ({@code needClientAuth}), so only holders of a certificate the swarm trusts can
 * connect, and each side checks the other's certificate against its trust store. There is no
 * hostname verification: peers are found by the IP addresses a tracker hands out, not by names a
 * certificate could vouch for, so a certificate proves membership of the swarm (it chains to the
 * swarm's CA), and its subject is the peer's authenticated identity
 * ({@link Connection#authenticatedPeer()}).
 *
 * <p>Nothing can hang a handshake: each one has a deadline for all of it, not only per read. An
 * accepted connection is handed out at once and shakes hands on its own thread at first use, so
 * a slow or silent client never blocks the accept loop. A plain (non-TLS) SwarmShare client is
 * recognised by its first byte and told in a plain {@code tls_required} error frame why it is
 * refused; a TLS client that reaches a plain port fails with a message saying so.
 *
 * <p>There is no zero-copy path ({@link Connection#zeroCopyChannel()} is null): TLS encrypts in
 * user space. Thread-safe.
 */
public final class TlsTransport implements Transport {
  /** The only protocol version offered or accepted. */
  static final String PROTOCOL = "TLSv1.3";
  /** The first byte of a TLS handshake record; a SwarmShare frame starts with 0 (a small length). */
  private static final int TLS_HANDSHAKE_RECORD = 0x16;
  /** As for plain TCP: big socket buffers keep a loopback pipe full. */
  private static final int SOCKET_BUFFER = 1024 * 1024;
  /** Enforces whole-handshake deadlines; one for every TLS transport in the process. */
  private static final Watchdog DEADLINES = new Watchdog("swarmshare-tls-handshake-watchdog", Duration.ofMillis(250));

  private final SSLContext context;
  private final Duration handshakeTimeout;
  /** This side's certificate, to explain a refusal whose alert was lost; null if not known. */
  private final @Nullable X509Certificate own;

  /**
   * A transport whose connections present the key and check against the trust managers of
   * {@code context}, and give up on a handshake not complete after {@code handshakeTimeout}.
   */
  public TlsTransport(SSLContext context, Duration handshakeTimeout) {
    this(context, handshakeTimeout, null);
  }

  /**
   * As {@link #TlsTransport(SSLContext, Duration)}, knowing the certificate {@code context}
   * presents, so a server's refusal of it can be explained even when the server's close beats its
   * alert (the socket then fails with "Broken pipe" or "Connection reset" mid-handshake).
   */
  public TlsTransport(SSLContext context, Duration handshakeTimeout, @Nullable X509Certificate own) {
    this.own = own;
    this.context = Objects.requireNonNull(context, "context");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive");
    }
    this.handshakeTimeout = handshakeTimeout;
    AesGcmWarmup.start();
  }

  @Override
  public String name() {
    return "tls";
  }

  @Override
  public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
    InetSocketAddress resolved = address.isUnresolved()
        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    if (resolved.isUnresolved()) {
      throw new UnknownHostException("cannot resolve host " + address.getHostString());
    }
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.setReceiveBufferSize(SOCKET_BUFFER);
      raw.setSendBufferSize(SOCKET_BUFFER);
      raw.connect(resolved, millis(timeout));
      Duration budget = timeout.compareTo(handshakeTimeout) < 0 ? timeout : handshakeTimeout;
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, resolved.getHostString(),
          resolved.getPort(), true);
      ssl.setSSLParameters(parameters(false));
      int first = withDeadline(raw, resolved, budget, ssl, () -> {
        try {
          ssl.startHandshake();
          // In TLS 1.3 the server checks our certificate after this side has finished the
          // handshake, so only its first bytes prove it accepted us. Every SwarmShare server sends
          // its hello at once (docs/PROTOCOL.md, section 4): wait for that byte, keep it for the reader.
          return ssl.getInputStream().read();
        } catch (SocketException e) {
          // A server that refuses our certificate sends an alert and closes; when its close beats
          // the alert, our socket fails ("Connection reset", "Broken pipe") instead, while we still
          // write our last handshake flight or wait for the first byte.
          throw TlsFailures.closedAfterHandshake(resolved, ssl, own, e);
        }
      });
      if (first < 0) {
        throw TlsFailures.closedAfterHandshake(resolved, ssl, own, null);
      }
      return new TlsConnection(raw, resolved, ssl, first);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  @Override
  public Listener listen(InetSocketAddress bind) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.setReceiveBufferSize(SOCKET_BUFFER);
      server.bind(bind, 512);
      return new TlsListener(server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "tls(" + PROTOCOL + ", handshake timeout " + handshakeTimeout.toMillis() + " ms)";
  }

  private SSLParameters parameters(boolean server) {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    if (server) {
      p.setNeedClientAuth(true);
    }
    // No endpoint identification: see the class comment.
    p.setEndpointIdentificationAlgorithm(null);
    return p;
  }

  /**
   * The accepting side's first use of a connection: reads one byte to tell TLS from plain, then
   * shakes hands; both within one handshake timeout.
   */
  private SSLSocket accept(Socket raw, InetSocketAddress remote) throws IOException {
    return withDeadline(raw, remote, handshakeTimeout, null, () -> {
      int first = raw.getInputStream().read();
      if (first < 0) {
        throw new EOFException(TlsFailures.where(remote) + " closed the connection before the TLS handshake");
      }
      if (first != TLS_HANDSHAKE_RECORD) {
        refusePlain(raw, remote);
        throw new TlsException("refused a plain (non-TLS) connection from " + TlsFailures.where(remote)
            + ": this port requires TLS");
      }
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw,
          new ByteArrayInputStream(new byte[] {(byte) first}), true);
      ssl.setSSLParameters(parameters(true));
      ssl.startHandshake();
      return ssl;
    });
  }

  private interface HandshakeSteps<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code steps} with a deadline for all of them: a read timeout alone would let the other
   * side stretch a handshake for ever by trickling a byte at a time.
   */
  private static <T> T withDeadline(Socket raw, InetSocketAddress remote, Duration timeout, @Nullable SSLSocket ssl,
      HandshakeSteps<T> steps) throws IOException {
    Watchdog.Guard guard = DEADLINES.guard(() -> closeQuietly(raw));
    guard.arm(timeout);
    try {
      raw.setSoTimeout(millis(timeout));
      T result = steps.run();
      raw.setSoTimeout(0);
      return result;
    } catch (SSLException e) {
      throw guard.fired() ? timedOut(remote, timeout) : TlsFailures.explain(e, remote, ssl);
    } catch (IOException e) {
      throw guard.fired() || e instanceof SocketTimeoutException ? timedOut(remote, timeout) : e;
    } finally {
      guard.disarm();
      guard.close();
    }
  }

  private static SocketTimeoutException timedOut(InetSocketAddress remote, Duration timeout) {
    return new SocketTimeoutException("TLS handshake with " + TlsFailures.where(remote) + " not complete within "
        + timeout.toMillis() + " ms; does the other side speak TLS?");
  }

  /**
   * Answers a plain SwarmShare client in its own protocol, so it can say why it was refused:
   * one {@code tls_required} error frame, then the same drain-and-close as any closing error.
   */
  private static void refusePlain(Socket raw, InetSocketAddress remote) {
    Connection plain = new PlainSocket(raw, remote);
    try {
      FrameWriter writer = new FrameWriter(plain.output(), 512);
      writer.write(Errors.frame(-1, ErrorCode.TLS_REQUIRED, "this port requires TLS 1.3; connect with TLS"
          + " and a certificate of this swarm (CLI: --tls-keystore and --tls-truststore; see docs/SECURITY.md)"));
      writer.flush();
    } catch (IOException | RuntimeException ignored) {
      // the client went away first
    }
    Errors.lingerThenClose(plain);
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private final class TlsListener implements Listener {
    private final ServerSocket server;
    private final InetSocketAddress local;

    TlsListener(ServerSocket server) {
      this.server = server;
      this.local = (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public Connection accept() throws IOException {
      Socket raw = server.accept();
      try {
        raw.setTcpNoDelay(true);
        raw.setSendBufferSize(SOCKET_BUFFER);
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        // The handshake runs later, on the thread that serves the connection.
        return new TlsConnection(raw, remote, () -> TlsTransport.this.accept(raw, remote));
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing a listener cannot fail in a way anyone could act on
      }
    }
  }

  /** The raw socket before TLS, just long enough to refuse a plain client. */
  private record PlainSocket(Socket raw, InetSocketAddress remoteAddress) implements Connection {
    @Override
    public InputStream input() throws IOException {
      return raw.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
      return raw.getOutputStream();
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
      raw.setSoTimeout(millis(timeout));
    }

    @Override
    public void close() {
      closeQuietly(raw);
    }
  }
}
