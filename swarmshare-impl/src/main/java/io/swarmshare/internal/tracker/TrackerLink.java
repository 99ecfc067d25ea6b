package io.swarmshare.internal.tracker;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.MessageType;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One open connection to a tracker, after the hello: callers on any thread send requests with
 * fresh ids under a write lock, and one virtual reader thread hands each reply to the caller
 * waiting for its id, so requests pipeline. When the connection fails, every waiting caller gets
 * the failure and the link stays closed; {@link RemoteTracker} then opens a new one.
 *
 * <p>Thread-safe.
 */
final class TrackerLink implements AutoCloseable {
  /** A reply: its header and its body, whose length the request's {@link BodyRule} allowed. */
  record Reply(Header header, byte[] body) {}

  /** Writes a request body. */
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The exact body length a successful reply header implies, checked before the body is read. */
  interface BodyRule {
    BodyRule NONE = h -> 0;

    long expectedLength(Header reply) throws FrameException;
  }

  private record Pending(BodyRule rule, CompletableFuture<Reply> reply) {}

  private final Connection connection;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final PeerAddress address;
  private final Watchdog.Guard writeGuard;
  private final Duration writeTimeout;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private volatile @Nullable IOException failure;

  private TrackerLink(Connection connection, FrameReader reader, FrameWriter writer, PeerAddress address,
      Watchdog watchdog, Duration writeTimeout) {
    this.connection = connection;
    this.reader = reader;
    this.writer = writer;
    this.address = address;
    this.writeGuard = watchdog.guard(connection::close);
    this.writeTimeout = writeTimeout;
  }

  /**
   * Connects, exchanges hellos and starts the reader thread.
   *
   * @throws ProtocolException if the other side refuses the hello, is busy, or is not a tracker
   * @throws IOException if it cannot be reached or closes during the hello
   */
  static TrackerLink open(Transport transport, PeerAddress address, PeerId self, Duration connectTimeout,
      Duration timeout, Limits limits, Watchdog watchdog) throws IOException {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    Connection c = transport.connect(address.toSocketAddress(), connectTimeout);
    try {
      // One budget for the whole opening: the hello gets what the connect left.
      c.readTimeout(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime())));
      FrameReader reader = new FrameReader(new BufferedInputStream(c.input(), 16 * 1024), limits);
      FrameWriter writer = new FrameWriter(c.output(), 16 * 1024);
      Handshake.Hello hello = Handshake.exchange(reader, writer, self, "client");
      if (!"tracker".equals(hello.role())) {
        throw new ProtocolException(ErrorCode.BAD_REQUEST.wire(),
            address + " is not a tracker (it says it is a " + hello.role() + ")");
      }
      // Replies may be far apart; the request timeout bounds each wait, not the socket.
      c.readTimeout(Duration.ZERO);
      TrackerLink link = new TrackerLink(c, reader, writer, address, watchdog, timeout);
      Thread.ofVirtual().name("swarmshare-tracker-client-" + address).start(link::readLoop);
      return link;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  boolean isOpen() {
    return failure == null;
  }

  /**
   * Sends a request and waits for its reply (which may be an {@code error} frame).
   *
   * @throws LinkBrokenException if the connection failed before the reply came; the request may
   *     or may not have reached the tracker
   * @throws SocketTimeoutException if no reply came within {@code timeout}; the link is closed
   * @throws InterruptedException if the caller was interrupted while waiting
   */
  Reply call(TrackerRequest request, @Nullable BodyWriter body, BodyRule rule, Duration timeout)
      throws IOException, InterruptedException {
    long id = nextId.getAndIncrement();
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    pending.put(id, new Pending(rule, reply));
    IOException failed = failure;
    if (failed != null) {
      pending.remove(id);
      throw new LinkBrokenException(failed);
    }
    writeLock.lock();
    try {
      writeGuard.arm(writeTimeout);
      writer.writeHead(request.header(id), request.bodyLength());
      if (body != null) {
        body.writeTo(writer.stream());
      }
      writer.flush();
    } catch (IOException e) {
      fail(e);
      throw new LinkBrokenException(e);
    } finally {
      writeGuard.disarm();
      writeLock.unlock();
    }
    try {
      return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.remove(id);
      SocketTimeoutException timedOut = new SocketTimeoutException(
          "tracker " + address + " did not answer within " + timeout.toMillis() + " ms");
      // A lost reply leaves the stream in an unknown state: start afresh next time.
      fail(timedOut);
      throw timedOut;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidReply invalid) {
        throw invalid.problem;
      }
      throw cause instanceof IOException io ? new LinkBrokenException(io) : new LinkBrokenException(new IOException(cause));
    }
  }

  private void readLoop() {
    try {
      while (true) {
        Header h = reader.next();
        if (h == null) {
          throw new EOFException("the tracker closed the connection");
        }
        Pending p = h.id() >= 0 ? pending.remove(h.id()) : null;
        if (p == null) {
          // Unsolicited: an error before a close (idle_timeout, busy) says why; anything else is ignored.
          if (h.type().equals(MessageType.ERROR.wire())) {
            ProtocolException why = Errors.fromFrame(h);
            throw new ProtocolException(why.code(), "tracker " + address + " closed the connection: " + why.getMessage());
          }
          reader.skipBody();
          continue;
        }
        try {
          long expected = h.type().equals(MessageType.ERROR.wire()) ? 0 : p.rule().expectedLength(h);
          if (reader.bodyLength() != expected) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "tracker sent a " + h.type() + " with a body of "
                + reader.bodyLength() + " bytes; its header implies " + expected);
          }
          Reply reply = new Reply(h, reader.readBody((int) expected));
          if (h.type().equals(MessageType.ERROR.wire()) && Errors.closes(h)) {
            // The tracker closes after this error: close first, so nothing more is sent on this link.
            fail(new EOFException("the tracker closed the connection after " + Errors.fromFrame(h).code()));
            p.reply().complete(reply);
            return;
          }
          p.reply().complete(reply);
        } catch (FrameException e) {
          reader.skipBody();
          p.reply().completeExceptionally(new InvalidReply(new ProtocolException(e.code(), String.valueOf(e.getMessage()))));
        }
      }
    } catch (IOException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new IOException("reading from tracker " + address + " failed", e));
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    connection.close();
    writeGuard.close();
    for (Long id : pending.keySet()) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.reply().completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() {
    fail(new IOException("the tracker client was closed"));
  }

  /** A reply that broke the protocol while the connection stayed usable: not worth a retry. */
  private static final class InvalidReply extends Exception {
    private static final long serialVersionUID = 1L;
    private final ProtocolException problem;

    InvalidReply(ProtocolException problem) {
      super(problem.getMessage(), null, false, false);
      this.problem = problem;
    }
  }

  /** The connection failed under a request; it is safe to retry idempotent requests on a new link. */
  static final class LinkBrokenException extends IOException {
    private static final long serialVersionUID = 1L;

    LinkBrokenException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
