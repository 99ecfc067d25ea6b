package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Bytes offered as a manifest's canonical form are not one: truncated, out of range, or inconsistent. Thrown before any large allocation.
 */
public class MalformedManifestException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message fit to show a user.
   *
   * @param message what went wrong, in words for the person running the program
   */
  public MalformedManifestException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message fit to show a user and the failure behind it.
   *
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public MalformedManifestException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
