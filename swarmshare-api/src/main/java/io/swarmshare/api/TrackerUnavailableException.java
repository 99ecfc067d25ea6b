package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The tracker could not be reached or stopped answering; retrying later may help.
 */
public class TrackerUnavailableException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message fit to show a user.
   *
   * @param message what went wrong, in words for the person running the program
   */
  public TrackerUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message fit to show a user and the failure behind it.
   *
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public TrackerUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
