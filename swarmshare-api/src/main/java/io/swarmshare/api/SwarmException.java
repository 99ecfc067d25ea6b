package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The root of SwarmShare's exceptions. Its message is written for the person running the program: what went wrong, and where it helps, what to do. It is an {@link java.io.IOException} because every failure it reports comes from a network, a disk or bytes read from them.
 */
public class SwarmException extends java.io.IOException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message fit to show a user.
   *
   * @param message what went wrong, in words for the person running the program
   */
  public SwarmException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message fit to show a user and the failure behind it.
   *
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public SwarmException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
