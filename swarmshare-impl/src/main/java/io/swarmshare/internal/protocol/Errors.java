package io.swarmshare.internal.protocol;

import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.spi.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** Builds, sends and reads {@code error} frames. */
public final class Errors {
  private static final Duration LINGER = Duration.ofMillis(200);
  private static final int LINGER_BYTES = 64 * 1024;

  private Errors() {}

  /** The error frame answering request {@code id} (or -1 if it answers no request). */
  public static Header frame(long id, ErrorCode code, String message) {
    Header h = Header.of("error");
    if (id >= 0) {
      h = h.with("id", id);
    }
    return h.with("code", code.wire()).with("message", truncate(message));
  }

  /**
   * True if the side that sends this error closes the connection after it: its code says so, or
   * it answers no request ({@code id} -1), for an error without an id reports a breach of the
   * whole connection (docs/PROTOCOL.md section 6).
   */
  public static boolean closes(long id, ErrorCode code) {
    return id < 0 || code.closesConnection();
  }

  /**
   * True if an {@code error} frame received from the other side ends the connection: it has no
   * usable id, or a code that closes. The receiver sends nothing more and closes it too; an
   * unknown code counts as {@code internal}, which does not close.
   */
  public static boolean closes(Header error) {
    Object code = error.fields().get("code");
    return closes(error.id(), code instanceof String s ? ErrorCode.fromWire(s) : ErrorCode.INTERNAL);
  }

  /** Sends an error frame and flushes, ignoring failures: the connection may already be gone. */
  public static void sendQuietly(FrameWriter writer, long id, FrameException e) {
    try {
      writer.write(frame(id, e.error(), e.getMessage() == null ? e.error().wire() : e.getMessage()));
      writer.flush();
    } catch (IOException | RuntimeException ignored) {
      // best effort: the other side broke the protocol and may have gone already
    }
  }

  /**
   * Closes a connection after an error frame was sent, first reading and dropping, for at most
   * a moment and a few KiB, what the other side had already sent. Closing a TCP socket with
   * unread input makes it send a reset, and a reset can destroy the error frame before the other
   * side reads it; the drain is bounded so a hostile sender cannot hold the connection open.
   */
  public static void lingerThenClose(Connection connection) {
    long deadline = System.nanoTime() + LINGER.toNanos();
    try {
      InputStream in = connection.input();
      byte[] sink = new byte[4096];
      for (int total = 0; total < LINGER_BYTES; ) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        connection.readTimeout(Duration.ofNanos(Math.max(1_000_000, left)));
        int n = in.read(sink);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException | RuntimeException ignored) {
      // timed out or reset: either way we are done waiting
    } finally {
      connection.close();
    }
  }

  /** The exception an error frame received from the other side stands for. */
  public static ProtocolException fromFrame(Header h) {
    String code = "internal";
    String message = "the other side reported an error";
    try {
      code = h.string("code", 64);
      message = h.string("message", 4096);
    } catch (FrameException ignored) {
      // a malformed error frame still means an error
    }
    return new ProtocolException(code, message);
  }

  /** At most 1 000 characters (code points), as the {@code message} field allows. */
  private static String truncate(String s) {
    return Limits.abbreviate(s, 1000);
  }
}
