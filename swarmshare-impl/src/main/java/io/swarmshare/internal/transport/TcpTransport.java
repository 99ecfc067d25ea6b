package io.swarmshare.internal.transport;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Plain TCP on blocking NIO channels. Blocking channels suit one virtual thread per connection,
 * and a {@link SocketChannel} lets a file store send chunks with {@code transferTo}
 * ({@code sendfile}) instead of copying them through the heap.
 */
public final class TcpTransport implements Transport {
  /** Socket buffers of 1 MiB keep a loopback pipe full at a few GB/s. */
  private static final int SOCKET_BUFFER = 1024 * 1024;

  private final @Nullable InetAddress source;

  /** Connections from whatever local address the system picks. */
  public TcpTransport() {
    this(null);
  }

  /**
   * Connections from {@code source} (null: the system picks), as when many simulated peers on
   * one machine must each speak from an address of its own (127.1.0.x on loopback).
   */
  public TcpTransport(@Nullable InetAddress source) {
    this.source = source;
  }

  @Override
  public String name() {
    return source == null ? "tcp" : "tcp from " + source.getHostAddress();
  }

  @Override
  public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
    InetSocketAddress resolved = address.isUnresolved()
        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    if (resolved.isUnresolved()) {
      throw new java.net.UnknownHostException("cannot resolve host " + address.getHostString());
    }
    SocketChannel channel = SocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      if (source != null) {
        channel.bind(new InetSocketAddress(source, 0));
      }
      channel.socket().connect(resolved, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return new TcpConnection(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Listener listen(InetSocketAddress bind) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      server.bind(bind, 512);
      return new TcpListener(server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static final class TcpListener implements Listener {
    private final ServerSocketChannel server;
    private final InetSocketAddress local;

    TcpListener(ServerSocketChannel server) throws IOException {
      this.server = server;
      this.local = (InetSocketAddress) server.getLocalAddress();
    }

    @Override
    public Connection accept() throws IOException {
      SocketChannel channel = server.accept();
      try {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        return new TcpConnection(channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
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

  private static final class TcpConnection implements Connection {
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    TcpConnection(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.remote = (InetSocketAddress) channel.getRemoteAddress();
      this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public InputStream input() throws IOException {
      return channel.socket().getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
      return channel.socket().getOutputStream();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
      channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public WritableByteChannel zeroCopyChannel() {
      return channel;
    }

    @Override
    public ReadableByteChannel directInput() {
      return channel;
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already broken; nothing more to release
      }
    }

    @Override
    public String toString() {
      return "tcp:" + remote;
    }
  }
}
