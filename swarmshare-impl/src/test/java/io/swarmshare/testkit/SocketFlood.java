package io.swarmshare.testkit;

import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Many plain connections from one local address (an attacker's, such as {@code 127.0.0.2}) to one
 * server, held open and silent until {@link #close()}: the way one machine takes a server's
 * connection slots.
 */
public final class SocketFlood implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();

  private SocketFlood() {}

  /** Opens {@code count} connections from {@code localHost} to {@code server}'s port on 127.0.0.1. */
  public static SocketFlood open(String localHost, InetSocketAddress server, int count) throws IOException {
    SocketFlood flood = new SocketFlood();
    try {
      for (int i = 0; i < count; i++) {
        Socket s = new Socket();
        flood.sockets.add(s);
        s.bind(new InetSocketAddress(localHost, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5000);
        s.setSoTimeout(5000);
      }
    } catch (IOException | RuntimeException e) {
      flood.close();
      throw e;
    }
    return flood;
  }

  /**
   * Reads the first frame the server sent on every connection, so that the server is known to
   * have dealt with each; returns how many it admitted (answered with its {@code hello}) rather
   * than refused (an {@code error}, or a close).
   */
  public int admitted() {
    int admitted = 0;
    for (Socket s : sockets) {
      try {
        Header first = new FrameReader(new BufferedInputStream(s.getInputStream(), 1024), Limits.DEFAULTS).next();
        if (first != null && first.type().equals("hello")) {
          admitted++;
        }
      } catch (IOException e) {
        // refused without a word, or reset: not admitted
      }
    }
    return admitted;
  }

  /** How many connections were opened. */
  public int size() {
    return sockets.size();
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing best effort
      }
    }
  }
}
