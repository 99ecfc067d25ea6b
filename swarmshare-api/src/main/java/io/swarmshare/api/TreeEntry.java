package io.swarmshare.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a tree manifest: a regular file, or a directory that holds nothing (directories
 * that hold entries are implied by their entries' paths).
 *
 * @param path the relative path, components separated by {@code /}
 * @param size the file's size in bytes; 0 for a directory
 * @param file the file's id; null for an empty directory
 */
public record TreeEntry(String path, long size, @Nullable FileId file) {
  /** Checks that the path is not empty and the size not negative (path rules are the tree's). */
  public TreeEntry {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty() || size < 0 || file == null && size != 0) {
      throw new IllegalArgumentException("a tree entry has a path, a size of 0 or more, and a size of 0 if a directory");
    }
  }

  /** {@return true for an empty directory, false for a file} */
  public boolean isDirectory() {
    return file == null;
  }
}
