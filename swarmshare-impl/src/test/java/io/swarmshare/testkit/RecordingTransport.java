package io.swarmshare.testkit;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Wraps a transport and keeps a copy of every byte its client connections send and receive, so
 * a test can show a real exchange exactly as it crossed the wire. Record one connection at a time.
 */
public final class RecordingTransport implements Transport {
  private final Transport inner;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  public RecordingTransport(Transport inner) {
    this.inner = inner;
  }

  public synchronized byte[] sent() {
    return sent.toByteArray();
  }

  public synchronized byte[] received() {
    return received.toByteArray();
  }

  @Override
  public String name() {
    return "recording-" + inner.name();
  }

  @Override
  public Listener listen(InetSocketAddress bind) throws IOException {
    return inner.listen(bind);
  }

  @Override
  public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
    Connection c = inner.connect(address, timeout);
    InputStream in = new FilterInputStream(c.input()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          record(received, new byte[] {(byte) b}, 0, 1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          record(received, b, off, n);
        }
        return n;
      }
    };
    OutputStream out = new FilterOutputStream(c.output()) {
      @Override
      public void write(int b) throws IOException {
        record(sent, new byte[] {(byte) b}, 0, 1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        record(sent, b, off, len);
        out.write(b, off, len);
      }
    };
    return new ForwardingConnection(c) {
      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }
    };
  }

  private synchronized void record(ByteArrayOutputStream to, byte[] b, int off, int len) {
    to.write(b, off, len);
  }
}
