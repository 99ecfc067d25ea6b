package io.swarmshare.testkit;

import io.swarmshare.api.spi.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A connection that passes everything to another; test transports override the parts they
 * change (streams that pace or record, addresses that pretend). It offers no zero-copy channel,
 * so every byte goes through {@link #output()} where a subclass can see it.
 */
public class ForwardingConnection implements Connection {
  protected final Connection delegate;

  public ForwardingConnection(Connection delegate) {
    this.delegate = delegate;
  }

  @Override
  public InputStream input() throws IOException {
    return delegate.input();
  }

  @Override
  public OutputStream output() throws IOException {
    return delegate.output();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return delegate.remoteAddress();
  }

  @Override
  public @Nullable InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    delegate.readTimeout(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
