package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The other side broke the wire protocol (see {@code docs/PROTOCOL.md}) or answered with an error frame; {@link #code()} is the error code.
 */
public class ProtocolException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /** The protocol error code; see {@link #code()}. */
  private final String code;

  /**
   * Creates the exception with an error code from {@code docs/PROTOCOL.md} and a message.
   *
   * @param code the protocol error code, for example {@code "bad_request"}
   * @param message what went wrong, in words for the person running the program
   */
  public ProtocolException(String code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * Creates the exception with an error code, a message and the failure behind it.
   *
   * @param code the protocol error code, for example {@code "bad_request"}
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public ProtocolException(String code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** {@return the protocol error code, for example {@code "bad_request"} or {@code "too_large"}} */

  public String code() {
    return code;
  }
}
