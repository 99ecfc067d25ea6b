package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Data failed verification against the hash that names it: a manifest that does not match its id, or a file that does not match its manifest. Nothing unverified is ever kept.
 */
public class IntegrityException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message fit to show a user.
   *
   * @param message what went wrong, in words for the person running the program
   */
  public IntegrityException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message fit to show a user and the failure behind it.
   *
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public IntegrityException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
