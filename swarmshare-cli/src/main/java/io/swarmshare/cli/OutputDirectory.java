package io.swarmshare.cli;

import io.swarmshare.api.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a download directory before anything is fetched, so a typo in {@code -o} costs no
 * network round trip and gets a message that says how to fix it. Creates nothing: the download
 * creates the directory once it starts.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * Returns {@code dir} as an absolute path if a download can create or write it.
   *
   * @throws StorageException if a file stands where a directory must be, or it is not writable
   */
  static Path check(Path dir) throws StorageException {
    Path target = dir.toAbsolutePath().normalize();
    Path existing = target;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return target; // nothing exists, not even a root: let the download report what the system says
    }
    if (!Files.isDirectory(existing)) {
      throw new StorageException("cannot download into " + target + ": " + existing
          + " is a file, not a directory; choose another directory with -o DIR");
    }
    if (!Files.isWritable(existing)) {
      throw new StorageException("cannot download into " + target + ": " + existing
          + " is not writable; choose another directory with -o DIR");
    }
    return target;
  }
}
