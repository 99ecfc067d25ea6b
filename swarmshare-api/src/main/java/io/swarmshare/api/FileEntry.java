package io.swarmshare.api;

import java.util.Objects;

/**
 * A search result: one name a file is shared under, with its size and how many peers the
 * tracker currently knows for it.
 *
 * @param id the file's id
 * @param name a name it was registered under
 * @param size its size in bytes
 * @param peers how many live peers hold at least one of its chunks
 */
public record FileEntry(FileId id, String name, long size, int peers) {
  /** Checks that no part is null and the numbers are not negative. */
  public FileEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (size < 0 || peers < 0) {
      throw new IllegalArgumentException("size and peers must not be negative");
    }
  }

  /**
   * True if this is a directory tree's listing rather than a file: a name that ends in
   * {@code /}, which no file name can (see {@code docs/PROTOCOL.md}, "Trees"). Its {@link #id()}
   * is then the listing's file id, not the tree's id.
   *
   * @return whether the entry is a tree
   */
  public boolean isTree() {
    return name.length() > 1 && name.endsWith("/");
  }
}
