package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The other side broke the wire protocol (see {@code docs/PROTOCOL.md}) or answered with an error frame; {@link #code()} is the error code.
 */
public class ProtocolException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  private final String code;

  /** Creates the exception with an error code from {@code docs/PROTOCOL.md} and a message. */
  public ProtocolException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates the exception with an error code, a message and the failure behind it. */
  public ProtocolException(String code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The protocol error code, for example {@code "bad_request"} or {@code "too_large"}. */
  public String code() {
    return code;
  }
}
