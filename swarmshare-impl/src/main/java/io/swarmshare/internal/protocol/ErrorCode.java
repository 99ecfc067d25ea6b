package io.swarmshare.internal.protocol;

import java.util.Locale;

/** Error codes carried by {@code error} frames; the wire form is the lower-case name. */
public enum ErrorCode {
  /** The frame itself is malformed: bad JSON, not an object, no type. Connection closes. */
  BAD_FRAME(true),
  /** A header or body is larger than the limit for its type. Connection closes. */
  TOO_LARGE(true),
  /** A known message with missing, extra-large or mistyped fields. Connection stays open. */
  BAD_REQUEST(false),
  /** A type this side does not know. Connection stays open. */
  UNKNOWN_TYPE(false),
  /** A message arrived in the wrong state, such as anything before {@code hello}. Connection closes. */
  OUT_OF_ORDER(true),
  /** The peer speaks a protocol version this side does not. Connection closes. */
  UNSUPPORTED_VERSION(true),
  /** The file, chunk or peer asked for is not known here. Connection stays open. */
  NOT_FOUND(false),
  /** A cap was reached (connections, queued requests, files, peers); try later. */
  BUSY(false),
  /**
   * The request is not allowed from this connection: it names a peer id that is bound to another
   * address (or TLS certificate) until its tracker entries expire. Connection stays open.
   */
  FORBIDDEN(false),
  /** The manifest does not hash to the id given. Connection stays open. */
  INTEGRITY(false),
  /** The connection was silent longer than the idle limit. Connection closes. */
  IDLE_TIMEOUT(true),
  /** A plain connection reached a port that requires TLS; sent in plain text, then closed. */
  TLS_REQUIRED(true),
  /**
   * A seed sent this chunk to another peer moments ago: fetch it from the swarm, or ask again
   * after the frame's {@code retryMs}. Sent only to clients whose hello listed {@code have}.
   */
  ELSEWHERE(false),
  /** This side failed in a way the request did not cause. Connection stays open. */
  INTERNAL(false);

  private final boolean closes;

  ErrorCode(boolean closes) {
    this.closes = closes;
  }

  /** True if the sender closes the connection after this error. */
  public boolean closesConnection() {
    return closes;
  }

  /** The code as it appears in JSON. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire code; unknown codes map to {@link #INTERNAL}. */
  public static ErrorCode fromWire(String code) {
    for (ErrorCode c : values()) {
      if (c.wire().equals(code)) {
        return c;
      }
    }
    return INTERNAL;
  }
}
