package io.swarmshare.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a client serves.
 *
 * @param manifest its manifest, which names it
 * @param name the name it is registered under
 * @param path where it lies on this machine
 */
public record SharedFile(Manifest manifest, String name, Path path) {
  /** Checks that no part is null. */
  public SharedFile {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }

  /** {@return the file's id} */
  public FileId id() {
    return manifest.id();
  }

  /** {@return the file's size in bytes} */

  public long size() {
    return manifest.size();
  }
}
