package io.swarmshare.internal.tree;

import io.swarmshare.api.StorageException;
import io.swarmshare.internal.store.LocalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Puts a verified file's content under another name: a copy written beside the target and
 * renamed over it once synced (so a crash leaves either nothing or the whole file), or, when the
 * user asks, a hard link. Never opens a target through a link.
 */
final class Copies {
  private Copies() {}

  /** Copies (or hard-links, if {@code link} and the file system allows) {@code from} to {@code to}. */
  static void copy(Path from, Path to, boolean link) throws StorageException {
    Path tmp = to.resolveSibling(to.getFileName() + ".copy");
    try {
      Files.deleteIfExists(tmp);
      boolean linked = false;
      if (link) {
        try {
          Files.createLink(tmp, from);
          linked = true;
        } catch (IOException | UnsupportedOperationException e) {
          // another file system, or no hard links here: copy instead
        }
      }
      if (!linked) {
        Files.copy(from, tmp, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          ch.force(true);
        }
      }
      LocalFiles.replace(tmp, to);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the next run removes it first
      }
      throw new StorageException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  /** Writes an empty file at {@code to}. */
  static void writeEmpty(Path to) throws StorageException {
    Path tmp = to.resolveSibling(to.getFileName() + ".copy");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp);
      LocalFiles.replace(tmp, to);
    } catch (IOException e) {
      throw new StorageException("cannot create " + to + ": " + e.getMessage(), e);
    }
  }
}
