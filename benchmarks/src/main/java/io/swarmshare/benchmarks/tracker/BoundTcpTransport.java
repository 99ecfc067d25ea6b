package io.swarmshare.benchmarks.tracker;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Plain TCP as the client's {@code TcpTransport} connects (blocking channel, no Nagle, 1 MiB
 * socket buffers), from a chosen local address: simulated peers spread over many loopback
 * addresses (127.x.y.z), so the tracker sees them as coming from many hosts, as they would, and a
 * per-address connection limit does not refuse a population that a real fleet would not hit.
 */
final class BoundTcpTransport implements Transport {
  /** As {@code TcpTransport}: the client's own socket options. */
  private static final int SOCKET_BUFFER = 1024 * 1024;

  private final InetAddress local;

  BoundTcpTransport(InetAddress local) {
    this.local = local;
  }

  @Override
  public String name() {
    return "tcp from " + local.getHostAddress();
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
      channel.bind(new InetSocketAddress(local, 0));
      channel.socket().connect(resolved, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return new BoundConnection(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Listener listen(InetSocketAddress bind) {
    throw new UnsupportedOperationException("the benchmark's peers only connect");
  }

  private static final class BoundConnection implements Connection {
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    BoundConnection(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.remote = (InetSocketAddress) channel.getRemoteAddress();
      this.local = (InetSocketAddress) channel.getLocalAddress();
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
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
      channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already broken; nothing more to release
      }
    }
  }
}
