package io.swarmshare.testkit;

import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wraps a transport so that everything its listeners' connections send goes out at a steady
 * rate, shared by all of them, in slices of at most 16 KiB: no burst after an idle spell. For
 * tests that must catch a download part way, such as killing it at a random moment.
 */
public final class PacedTransport implements Transport {
  private static final int SLICE = 16 * 1024;

  private final Transport inner;
  private final long bytesPerSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private long nextFree = System.nanoTime();

  public PacedTransport(Transport inner, long bytesPerSecond) {
    this.inner = inner;
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public String name() {
    return "paced-" + inner.name();
  }

  @Override
  public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
    return inner.connect(address, timeout);
  }

  @Override
  public Listener listen(InetSocketAddress bind) throws IOException {
    Listener l = inner.listen(bind);
    return new Listener() {
      @Override
      public Connection accept() throws IOException {
        return paced(l.accept());
      }

      @Override
      public InetSocketAddress localAddress() {
        return l.localAddress();
      }

      @Override
      public void close() {
        l.close();
      }
    };
  }

  /** Waits for the slot of {@code bytes}; slots are handed out back to back at the rate. */
  private void pace(int bytes) throws IOException {
    long start;
    lock.lock();
    try {
      start = Math.max(System.nanoTime(), nextFree);
      nextFree = start + bytes * 1_000_000_000L / bytesPerSecond;
    } finally {
      lock.unlock();
    }
    long wait = start - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while pacing");
      }
    }
  }

  private Connection paced(Connection c) throws IOException {
    OutputStream out = new FilterOutputStream(c.output()) {
      @Override
      public void write(int b) throws IOException {
        pace(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          int n = Math.min(SLICE, len);
          pace(n);
          out.write(b, off, n);
          off += n;
          len -= n;
        }
      }
    };
    return new ForwardingConnection(c) {
      @Override
      public OutputStream output() {
        return out;
      }
    };
  }
}
