package io.swarmshare.internal.protocol;

import io.swarmshare.api.ProtocolException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A breach of the protocol found while reading or checking a frame, with the code to answer. */
public final class FrameException extends ProtocolException {
  @Serial private static final long serialVersionUID = 1L;
  private final ErrorCode error;

  public FrameException(ErrorCode error, String message) {
    this(error, message, null);
  }

  public FrameException(ErrorCode error, String message, @Nullable Throwable cause) {
    super(error.wire(), message, cause);
    this.error = error;
  }

  /** The code to send back in an {@code error} frame. */
  public ErrorCode error() {
    return error;
  }
}
