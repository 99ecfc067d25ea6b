package io.swarmshare.api;

import java.io.Serial;

/**
 * A download's destination is taken: a file (or a link, which is never followed) already has
 * the downloaded file's name. Nothing was written; download again with
 * {@link DownloadOption#OVERWRITE} to replace it.
 */
public class FileExistsException extends StorageException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is in the way, fit to show a user
   */
  public FileExistsException(String message) {
    super(message);
  }
}
