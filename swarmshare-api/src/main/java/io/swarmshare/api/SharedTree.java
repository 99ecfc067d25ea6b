package io.swarmshare.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A directory a client serves as one unit: its tree manifest's id, the name it is registered
 * under, where it lies, and its entries in canonical order. Each file in it is shared on its own
 * too.
 *
 * @param id the tree's id
 * @param name the name it is registered under (the directory's name unless chosen otherwise)
 * @param path the directory on this machine
 * @param entries every file and empty directory, in the tree manifest's order
 */
public record SharedTree(TreeId id, String name, Path path, List<TreeEntry> entries) {
  /** Checks that no part is null; copies the entries. */
  public SharedTree {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    entries = List.copyOf(entries);
  }

  /** {@return how many files the tree holds (empty directories not counted)} */
  public int files() {
    return (int) entries.stream().filter(e -> !e.isDirectory()).count();
  }

  /** {@return the sum of the files' sizes in bytes} */
  public long size() {
    return entries.stream().mapToLong(TreeEntry::size).sum();
  }
}
