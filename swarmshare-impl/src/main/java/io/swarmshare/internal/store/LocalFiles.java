package io.swarmshare.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the store touches the files it keeps beside a download ({@code .lock}, {@code .marks},
 * {@code .resume} and its temporary, {@code .part}): never through a link. The directory may be
 * writable by others, who could plant a symbolic link (or a hard link, a pipe, a directory)
 * under one of those names to make a download write into a file outside it. So every open
 * passes {@link LinkOption#NOFOLLOW_LINKS}, files that are ours to make are created fresh
 * ({@link StandardOpenOption#CREATE_NEW}), and whatever sits under such a name that is not a
 * plain file is junk: it is removed (the link itself, never its target) and never followed.
 */
public final class LocalFiles {
  private static final int ATTEMPTS = 16;

  private LocalFiles() {}

  /**
   * Renames {@code from} to {@code to}, replacing what is there, atomically where the file system
   * can (so a crash leaves the old file or the new one, never half of either). A rename never
   * follows a link at {@code to}: a link there is replaced itself.
   */
  public static void replace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The attributes of {@code path} itself (a link is not followed), or null if nothing is there. */
  static @Nullable BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** True if something, even a dangling link, is at {@code path}. */
  static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * True if {@code path} is a plain file: a regular file, not a link, with no other name (a hard
   * link to a file elsewhere is as dangerous as a symbolic one). Where the platform cannot count
   * names, a regular file is enough.
   */
  static boolean isPlainFile(Path path, BasicFileAttributes a) {
    if (!a.isRegularFile()) {
      return false;
    }
    try {
      Object links = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return !(links instanceof Integer n) || n <= 1;
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      return true;
    }
  }

  /**
   * Removes whatever is at {@code path} unless it is a plain file: a link is removed itself, its
   * target is left alone.
   *
   * @return true if something was removed
   * @throws IOException if it cannot be removed (say, a sticky directory and someone else's link)
   */
  static boolean removeJunk(Path path) throws IOException {
    BasicFileAttributes a = attributes(path);
    if (a == null || isPlainFile(path, a)) {
      return false;
    }
    remove(path, a);
    return true;
  }

  /** Removes from {@code paths} what is junk (see {@link #removeJunk}); the names of those removed. */
  static List<String> removeJunk(Path... paths) throws IOException {
    List<String> removed = new ArrayList<>();
    for (Path p : paths) {
      if (removeJunk(p)) {
        removed.add(String.valueOf(p.getFileName()));
      }
    }
    return removed;
  }

  private static void remove(Path path, BasicFileAttributes a) throws IOException {
    try {
      Files.deleteIfExists(path);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot remove " + path + ", " + describe(a) + " that is not ours (permission denied);"
          + " remove it, or choose another directory with -o DIR", e);
    } catch (IOException e) {
      throw new IOException("cannot remove " + path + ", " + describe(a) + ": " + e.getMessage(), e);
    }
  }

  private static String describe(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (a.isDirectory()) {
      return "a directory";
    }
    return a.isRegularFile() ? "a file with another name elsewhere (a hard link)" : "a special file";
  }

  /**
   * Creates {@code path} as a new empty file and opens it with {@code options} (WRITE is added),
   * never following a link. Whatever was there is removed first; if something appears again
   * between removing and creating, that is removed too, a bounded number of times.
   */
  static FileChannel createFresh(Path path, OpenOption... options) throws IOException {
    List<OpenOption> all = new ArrayList<>(List.of(options));
    all.add(StandardOpenOption.CREATE_NEW);
    all.add(StandardOpenOption.WRITE);
    all.add(LinkOption.NOFOLLOW_LINKS);
    OpenOption[] opts = all.toArray(OpenOption[]::new);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      BasicFileAttributes a = attributes(path);
      if (a != null) {
        remove(path, a);
      }
      try {
        return FileChannel.open(path, opts);
      } catch (FileAlreadyExistsException e) {
        // planted again since we removed it: once more
      }
    }
    throw new IOException("cannot create " + path + ": something keeps being put there; is another program writing"
        + " into " + path.getParent() + "?");
  }

  /**
   * Opens {@code path}, which must be a plain file, without following a link.
   *
   * @throws IOException if it is missing or is not a plain file
   */
  static FileChannel openPlain(Path path, OpenOption... options) throws IOException {
    BasicFileAttributes a = attributes(path);
    if (a == null) {
      throw new NoSuchFileException(path.toString());
    }
    if (!isPlainFile(path, a)) {
      throw new IOException(path.getFileName() + " is " + describe(a) + ", not a plain file");
    }
    List<OpenOption> all = new ArrayList<>(List.of(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    return FileChannel.open(path, all.toArray(OpenOption[]::new));
  }
}
