package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The tracker could not be reached or stopped answering; retrying later may help.
 */
public class TrackerUnavailableException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception with a message fit to show a user. */
  public TrackerUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a message fit to show a user and the failure behind it. */
  public TrackerUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
