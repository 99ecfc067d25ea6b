package io.swarmshare.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Reading or writing local files failed, for example because the disk is full or a directory is not writable. Verified chunks are kept, so the download can resume once the cause is fixed.
 */
public class StorageException extends SwarmException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message fit to show a user.
   *
   * @param message what went wrong, in words for the person running the program
   */
  public StorageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message fit to show a user and the failure behind it.
   *
   * @param message what went wrong, in words for the person running the program
   * @param cause the failure behind it, or null
   */
  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
