package io.swarmshare.internal.protocol;

import io.swarmshare.api.ProtocolException;
import java.io.IOException;

/** Builds, sends and reads {@code error} frames. */
public final class Errors {
  private Errors() {}

  /** The error frame answering request {@code id} (or -1 if it answers no request). */
  public static Header frame(long id, ErrorCode code, String message) {
    Header h = Header.of("error");
    if (id >= 0) {
      h = h.with("id", id);
    }
    return h.with("code", code.wire()).with("message", truncate(message));
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

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
  }
}
