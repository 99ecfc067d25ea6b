package io.swarmshare.internal.store;

import java.util.Objects;
import io.swarmshare.api.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * {@code NAME.lock}: held while a download of NAME into a directory runs, so a second download
 * of it into the same directory, in this process or another, is refused instead of interleaving.
 *
 * <p>The lock is an OS file lock, which the kernel drops when its process dies, so a lock file
 * left by a killed process blocks nobody. Two details make it sound:
 * <ul>
 *   <li>POSIX locks belong to a process, and closing <em>any</em> descriptor of the file drops
 *       them all. So a download refused in the process that holds the lock must never open the
 *       file: a set of the lock paths held here answers first.
 *   <li>The holder deletes the file before it unlocks. Someone who opened the old file meanwhile
 *       would then lock a file no longer in the directory; so the file's identity (device and
 *       inode) is read with stat before opening and after locking, and if the two differ or the
 *       file is gone, that lock is worthless: it tries again.
 * </ul>
 * The holder writes its process id into the file, so a refusal can say who holds it. The file is
 * never opened through a link: a link (or anything else that is not a plain file) at its name is
 * removed itself and the lock taken on a new file, so a link planted by someone who can write
 * into the directory cannot make us write into its target.
 * Thread-safe; {@link #close} is idempotent.
 */
final class DownloadLock implements AutoCloseable {
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
  private static final int ATTEMPTS = 16;

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean released = new AtomicBoolean();

  private DownloadLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code path}, creating the file if needed.
   *
   * @param what the download, as a user would name it, for the refusal message
   * @throws StorageException if another download holds it, or the file cannot be locked
   */
  static DownloadLock acquire(Path path, String what) throws StorageException {
    Path key;
    try {
      // The real directory, so two spellings of it (a symbolic link, say) are one key.
      key = FileStore.parentOf(path).toRealPath().resolve(Objects.requireNonNull(path.getFileName()));
    } catch (IOException e) {
      throw new StorageException("cannot lock " + path + ": " + FileStore.describe(e), e);
    }
    if (!HELD_HERE.add(key)) {
      throw new StorageException(what + " is already being downloaded into " + path.getParent()
          + " by this process; wait for that download to finish, or choose another directory with -o DIR");
    }
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        DownloadLock held = tryOnce(key, FileStore.parentOf(path), what);
        if (held != null) {
          return held;
        }
      }
      throw new StorageException("cannot lock " + key + ": it keeps being replaced; is another program deleting it?");
    } catch (StorageException | RuntimeException e) {
      HELD_HERE.remove(key);
      throw e;
    } catch (IOException e) {
      HELD_HERE.remove(key);
      throw new StorageException("cannot lock " + key + ": " + FileStore.describe(e), e);
    }
  }

  /** One attempt: the lock, or null if what was locked is no longer the file at {@code path}. */
  private static @Nullable DownloadLock tryOnce(Path path, Path shownDir, String what) throws IOException {
    if (LocalFiles.removeJunk(path)) {
      return null; // a link (or a pipe, a directory) someone left: removed itself, never followed
    }
    Object before = fileKey(path);
    if (before == null) {
      // Created and closed before locking: closing a descriptor only drops locks this process
      // holds on the file, and HELD_HERE says there are none. CREATE_NEW never follows a link.
      try {
        Files.createFile(path);
      } catch (FileAlreadyExistsException e) {
        // someone else made it first; fine
      }
      return null;
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(path)) {
        return null; // became a link since we looked; the next attempt removes it
      }
      throw e;
    }
    try {
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // only through a hard link to a file locked here; refused all the same
      }
      if (l == null) {
        String holder = holder(ch);
        ch.close();
        throw new StorageException(what + " is already being downloaded into " + shownDir
            + (holder.isEmpty() ? " by another process" : " by process " + holder)
            + "; wait for it to finish, or choose another directory with -o DIR");
      }
      // Compared by stat, never by opening the path again: that would drop our own lock. The
      // file we hold cannot be unlinked and come back, and its inode number cannot be reused
      // while we hold it open, so equal keys mean we locked the file at the path.
      if (!before.equals(fileKey(path))) {
        ch.close();
        return null;
      }
      byte[] token = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ByteBuffer b = ByteBuffer.wrap(token);
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
      return new DownloadLock(path, ch, l);
    } catch (IOException | RuntimeException e) {
      if (ch.isOpen()) {
        ch.close();
      }
      throw e;
    }
  }

  private static @Nullable Object fileKey(Path path) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      // Where the platform has no file key, fall back to the creation time: weaker, still a stat.
      return a.fileKey() != null ? a.fileKey() : a.creationTime();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The process id written by the holder, or empty if it cannot be read. */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(128);
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
      String[] parts = s.strip().split(" ");
      return parts.length >= 2 && parts[0].equals("pid") && parts[1].chars().allMatch(Character::isDigit) ? parts[1] : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Deletes the file, then unlocks: in this order, see the class comment. */
  @Override
  public void close() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover lock file holds no lock once we unlock; the next run takes it
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
    HELD_HERE.remove(path);
  }
}
