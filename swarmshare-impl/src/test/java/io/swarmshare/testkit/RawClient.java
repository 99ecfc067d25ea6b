package io.swarmshare.testkit;

import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A plain socket that speaks frames, or anything else, to a server: for tests that must send
 * what a well-behaved client never would. Every read waits at most five seconds.
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final FrameReader reader;
  private final FrameWriter writer;
  private byte[] lastBody = new byte[0];

  public RawClient(InetSocketAddress server) throws IOException {
    this(server, "127.0.0.1");
  }

  /**
   * A client speaking from {@code localHost}, such as {@code 127.0.0.2}: on loopback, another
   * address than the honest nodes' stands for another machine.
   */
  public RawClient(InetSocketAddress server, String localHost) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(localHost, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5000);
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    reader = new FrameReader(new BufferedInputStream(socket.getInputStream()), Limits.DEFAULTS);
    writer = new FrameWriter(out);
  }

  /** Sends our hello and reads the server's. */
  public Handshake.Hello hello(PeerId self) throws IOException {
    return Handshake.exchange(reader, writer, self, "client");
  }

  /** Reads the server's hello only. */
  public Header readHello() throws IOException {
    Header h = next();
    if (h == null) {
      throw new IOException("closed before hello");
    }
    return h;
  }

  public void send(Header h) throws IOException {
    writer.write(h);
    writer.flush();
  }

  public void send(Header h, byte[] body) throws IOException {
    writer.write(h, body, 0, body.length);
    writer.flush();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame's header (its body read into {@link #lastBody()}), or null at end of stream. */
  public @Nullable Header next() throws IOException {
    Header h = reader.next();
    if (h != null) {
      lastBody = reader.readBody(Limits.DEFAULT_MAX_BODY_BYTES);
    }
    return h;
  }

  public byte[] lastBody() {
    return lastBody;
  }

  /**
   * Reads and discards until the server closes the connection; true if it did within
   * {@code timeout}. A reset counts as closed.
   */
  public boolean awaitClose(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[8192];
    var in = socket.getInputStream();
    while (System.nanoTime() - deadline < 0) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
