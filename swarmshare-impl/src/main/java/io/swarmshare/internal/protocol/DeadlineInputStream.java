package io.swarmshare.internal.protocol;

import io.swarmshare.api.spi.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A connection's input with two clocks: between frames the other side may stay silent for the
 * idle timeout; once a frame has started, all of it must arrive within the frame timeout. A
 * plain read timeout alone would let a sender keep a connection forever by trickling one byte
 * per interval (slow loris). Each read sets the connection's read timeout to what is left.
 *
 * <p>Not thread-safe: one reader thread per connection, like {@link FrameReader}. When it sits
 * under a buffer, a frame whose start was buffered with the previous one gets up to one idle
 * timeout more: the bound stays idle plus frame timeout.
 */
public final class DeadlineInputStream extends InputStream {
  private final InputStream in;
  private final Connection connection;
  private final long idleNanos;
  private final long frameNanos;
  private final byte[] one = new byte[1];
  /** When the current frame must be complete; 0 while waiting for the next frame. */
  private long frameDeadline;
  private int timeoutMillis = -1;

  public DeadlineInputStream(Connection connection, Duration idleTimeout, Duration frameTimeout) throws IOException {
    this.in = connection.input();
    this.connection = connection;
    this.idleNanos = idleTimeout.toNanos();
    this.frameNanos = frameTimeout.toNanos();
  }

  /** Marks a frame boundary: the next byte read starts a new frame, after at most the idle timeout. */
  public void awaitFrame() {
    frameDeadline = 0;
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
    boolean idle = frameDeadline == 0;
    long waitNanos = idle ? idleNanos : frameDeadline - System.nanoTime();
    if (waitNanos <= 0) {
      throw new SocketTimeoutException("frame not complete within " + Duration.ofNanos(frameNanos).toMillis() + " ms");
    }
    setTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, waitNanos / 1_000_000)));
    int n;
    try {
      n = in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException(idle
          ? "idle for " + Duration.ofNanos(idleNanos).toMillis() + " ms"
          : "frame not complete within " + Duration.ofNanos(frameNanos).toMillis() + " ms");
    }
    if (n > 0 && idle) {
      frameDeadline = System.nanoTime() + frameNanos;
    }
    return n;
  }

  private void setTimeout(int millis) throws IOException {
    if (millis != timeoutMillis) {
      connection.readTimeout(Duration.ofMillis(millis));
      timeoutMillis = millis;
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
