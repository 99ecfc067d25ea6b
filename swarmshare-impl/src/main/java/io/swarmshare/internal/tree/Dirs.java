package io.swarmshare.internal.tree;

import io.swarmshare.api.StorageException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Creates the directories of a tree under the directory the user chose, never through a link:
 * each element is created, or accepted only if it is a real directory (a symbolic link planted
 * inside the output could otherwise lead the download anywhere). A link swapped in between the
 * check and the use is the race this cannot close without openat; the output directory is the
 * user's, so only someone who can write there could try it.
 */
final class Dirs {
  private Dirs() {}

  /**
   * Makes the parent directories of {@code relative} ('/'-separated, checked by
   * {@link TreeManifest}) below {@code base}, which must exist, and returns the entry's path.
   */
  static Path parents(Path base, String relative) throws StorageException {
    String[] parts = relative.split("/");
    Path p = base;
    for (int i = 0; i < parts.length - 1; i++) {
      p = p.resolve(parts[i]);
      mkdir(p);
    }
    return p.resolve(parts[parts.length - 1]);
  }

  /** As {@link #parents}, and makes the entry itself a directory. */
  static Path directory(Path base, String relative) throws StorageException {
    Path p = parents(base, relative);
    mkdir(p);
    return p;
  }

  /** Makes {@code p} a directory, or accepts one there; refuses a link or a file in the way. */
  static void mkdir(Path p) throws StorageException {
    try {
      Files.createDirectory(p);
      return;
    } catch (FileAlreadyExistsException e) {
      // checked below
    } catch (IOException e) {
      throw new StorageException("cannot create directory " + p + ": " + e.getMessage(), e);
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
    }
    if (a.isSymbolicLink()) {
      throw new StorageException(p + " is a symbolic link, which a tree download never follows; remove it");
    }
    if (!a.isDirectory()) {
      throw new StorageException(p + " is in the way of a directory of the tree; remove it");
    }
  }
}
