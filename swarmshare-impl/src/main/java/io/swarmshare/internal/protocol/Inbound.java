package io.swarmshare.internal.protocol;

/**
 * The rules of docs/PROTOCOL.md sections 5 and 6 that a server applies to each frame it
 * receives after the hello, before it decodes the request itself: an {@code error} is never
 * answered, a second {@code hello} is out of order, a request needs a usable id, and a request
 * carries exactly the body its header implies. The tracker and the peer server both go through
 * here, so they answer the same frame the same way.
 */
public final class Inbound {
  private Inbound() {}

  /**
   * True if the frame is an {@code error} the other side reports. It is never answered; the
   * connection closes if {@link Errors#closes(Header)} says so, and the frame is ignored otherwise.
   */
  public static boolean isError(Header h) {
    return h.type().equals(MessageType.ERROR.wire());
  }

  /**
   * The id of a request, checked before anything else in it but its type.
   *
   * @throws FrameException {@code out_of_order} for a second {@code hello}; {@code bad_request}
   *     for a frame without a usable id (missing, not a whole number, or outside 0 to
   *     {@link Limits#MAX_REQUEST_ID}). Either is answered without an id, and the connection closes.
   */
  public static long requestId(Header h) throws FrameException {
    if (h.type().equals(MessageType.HELLO.wire())) {
      throw new FrameException(ErrorCode.OUT_OF_ORDER, "hello was already exchanged on this connection");
    }
    try {
      return h.number("id", 0, Limits.MAX_REQUEST_ID);
    } catch (FrameException e) {
      throw new FrameException(ErrorCode.BAD_REQUEST, e.getMessage() + "; every request needs a usable id");
    }
  }

  /**
   * Checks that a request carries the body its header implies: {@code expected} bytes, 0 for
   * the requests that carry none.
   *
   * @throws FrameException {@code bad_request}, answered with the request's id; the receiver
   *     skips the body and the connection stays open
   */
  public static void checkBody(Header h, long expected, long actual) throws FrameException {
    if (actual != expected) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          h.type() + ": the body must be " + expected + " bytes, got " + actual);
    }
  }
}
