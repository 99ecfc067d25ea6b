package io.swarmshare.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port that forwards every connection to one target and keeps a copy
 * of every byte it forwards in either direction: what someone on the network between two peers
 * would see. Thread-safe.
 */
public final class RecordingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Starts relaying from a free loopback port to {@code target}. */
  public RecordingRelay(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("recording-relay-accept").start(this::acceptLoop);
  }

  /** The address to connect to instead of the target. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getLocalPort());
  }

  /** Every byte relayed so far, both directions. */
  public byte[] captured() {
    synchronized (captured) {
      return captured.toByteArray();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(in);
      try {
        Socket out = new Socket(target.getHostString(), target.getPort());
        sockets.add(out);
        Thread.ofVirtual().start(() -> pump(in, out));
        Thread.ofVirtual().start(() -> pump(out, in));
      } catch (IOException e) {
        close(in);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (captured) {
          captured.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException ignored) {
      // one side went away; the other direction ends on its own
    } finally {
      close(from);
      close(to);
    }
  }

  @Override
  public void close() {
    close(server);
    for (Socket s : sockets) {
      close(s);
    }
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort for a test fixture
    }
  }

  /** Where {@code needle} first occurs in {@code haystack}, or -1. */
  public static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
