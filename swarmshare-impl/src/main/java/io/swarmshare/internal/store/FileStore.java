package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link PieceStore}: one preallocated {@code NAME.part} file written at chunk
 * offsets, a {@code NAME.resume} record beside it, and a {@code NAME.lock} held while a download
 * runs so two downloads of one file into one directory cannot interleave. The file gets its
 * final name only after the whole file matched the manifest.
 *
 * <p>A store for a file that is already complete (a shared file, or a finished download)
 * serves from it read-only. Thread-safe: chunks are written with positional writes.
 */
public final class FileStore implements PieceStore {
  private final Manifest manifest;
  private final Path finalPath;
  private final @Nullable Path partPath;
  private final @Nullable Path recordPath;
  private final String name;
  private final boolean overwrite;
  private final ChunkSet verified;
  private final ReentrantLock flushLock = new ReentrantLock();
  private final int resumedChunks;
  private final int discardedChunks;
  private final String resumeNote;
  private volatile FileChannel channel;
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private volatile boolean complete;
  private volatile boolean closed;
  private int lastRecordedCount = -1;

  private FileStore(Manifest manifest, Path finalPath, @Nullable Path partPath, String name, boolean overwrite,
      ChunkSet verified, FileChannel channel, int resumed, int discarded, String note) {
    this.manifest = manifest;
    this.finalPath = finalPath;
    this.partPath = partPath;
    this.recordPath = partPath == null ? null : recordPathFor(finalPath);
    this.name = name;
    this.overwrite = overwrite;
    this.verified = verified;
    this.channel = channel;
    this.resumedChunks = resumed;
    this.discardedChunks = discarded;
    this.resumeNote = note;
    this.complete = partPath == null;
  }

  /** A read-only store over a complete file whose manifest was just built from it. */
  public static FileStore seeding(Path file, Manifest manifest) throws StorageException {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ChunkSet all = new ChunkSet(manifest.chunkCount());
      for (int i = 0; i < manifest.chunkCount(); i++) {
        all.add(i);
      }
      String n = file.getFileName() == null ? file.toString() : file.getFileName().toString();
      return new FileStore(manifest, file, null, n, false, all, ch, 0, 0, "");
    } catch (IOException e) {
      throw new StorageException("cannot open " + file + " to serve it: " + e.getMessage(), e);
    }
  }

  /**
   * Opens or creates the {@code .part} of a download of {@code manifest} into {@code dir} under
   * {@code name} (already a safe file name). Leftovers of an earlier run are re-hashed and only
   * chunks that verify are kept.
   *
   * @throws StorageException if the directory is not writable, the final file exists and
   *     {@code overwrite} is false, or another download of the same file holds the lock
   */
  public static FileStore download(Path dir, String name, Manifest manifest, boolean overwrite) throws StorageException {
    Path finalPath = dir.resolve(name);
    if (!finalPath.getParent().equals(dir) || !finalPath.getFileName().toString().equals(name)) {
      throw new StorageException("refusing unsafe file name " + name);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StorageException("directory " + dir + " is not writable; choose another with -o DIR");
    }
    if (Files.exists(finalPath) && !overwrite) {
      throw new StorageException(finalPath + " already exists; remove it or pass --overwrite");
    }
    Path part = dir.resolve(name + ".part");
    Path lockPath = dir.resolve(name + ".lock");
    FileChannel lockChannel = null;
    FileLock lock = null;
    FileChannel ch = null;
    try {
      lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new StorageException(name + " is already being downloaded into " + dir
            + " by another process or download; wait for it or choose another directory");
      }
      ChunkSet verified = new ChunkSet(manifest.chunkCount());
      Resume resume = Resume.examine(recordPathFor(finalPath), part, manifest, verified);
      ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (ch.size() != manifest.size()) {
        if (ch.size() > manifest.size()) {
          ch.truncate(manifest.size());
        }
        // Sparse preallocation: the size is set now, blocks are claimed as chunks land.
        if (manifest.size() > 0 && ch.size() < manifest.size()) {
          ch.write(ByteBuffer.wrap(new byte[1]), manifest.size() - 1);
        }
      }
      FileStore store = new FileStore(manifest, finalPath, part, name, overwrite, verified, ch,
          resume.kept(), resume.discarded(), resume.note());
      store.lockChannel = lockChannel;
      store.lock = lock;
      return store;
    } catch (StorageException | RuntimeException e) {
      closeQuietly(ch);
      closeQuietly(lockChannel);
      throw e;
    } catch (IOException e) {
      closeQuietly(ch);
      closeQuietly(lockChannel);
      throw new StorageException("cannot prepare " + part + ": " + describe(e), e);
    }
  }

  static Path recordPathFor(Path finalPath) {
    return finalPath.resolveSibling(finalPath.getFileName() + ".resume");
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public Bitfield verified() {
    return verified.toBitfield();
  }

  /** True if chunk {@code index} is held and verified; cheap and lock-free. */
  @Override
  public boolean has(int index) {
    return verified.contains(index);
  }

  /** How many chunks are verified. */
  public int verifiedCount() {
    return verified.count();
  }

  /** Chunks kept from an earlier run after re-hashing. */
  public int resumedChunks() {
    return resumedChunks;
  }

  /** Chunks an earlier run's record named that failed to verify. */
  public int discardedChunks() {
    return discardedChunks;
  }

  /** Why leftovers were discarded wholesale, or empty. */
  public String resumeNote() {
    return resumeNote;
  }

  /** Where the file will be (or is) under its final name. */
  public Path finalPath() {
    return finalPath;
  }

  /** The name of the file. */
  public String name() {
    return name;
  }

  /** True once the file is complete under its final name. */
  public boolean isComplete() {
    return complete;
  }

  @Override
  public void writeChunk(int index, ByteBuffer data) throws StorageException {
    if (complete) {
      data.position(data.limit());
      return;
    }
    long offset = manifest.chunkOffset(index);
    try {
      while (data.hasRemaining()) {
        offset += channel.write(data, offset);
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + partPath + ": " + describe(e), e);
    }
    verified.add(index);
  }

  @Override
  public void readChunk(int index, ByteBuffer target) throws StorageException {
    requireVerified(index);
    long offset = manifest.chunkOffset(index);
    int end = target.position() + manifest.chunkLength(index);
    ByteBuffer view = target.duplicate().limit(end);
    try {
      while (view.hasRemaining()) {
        int n = channel.read(view, offset);
        if (n < 0) {
          throw new StorageException(finalPath + " is shorter than its manifest; was it changed?");
        }
        offset += n;
      }
      target.position(end);
    } catch (IOException e) {
      throw new StorageException("cannot read chunk " + index + " of " + name + ": " + describe(e), e);
    }
  }

  @Override
  public void transferChunk(int index, WritableByteChannel target) throws IOException {
    requireVerified(index);
    long offset = manifest.chunkOffset(index);
    long remaining = manifest.chunkLength(index);
    FileChannel ch = channel;
    ByteBuffer slow = null;
    while (remaining > 0) {
      long n = ch.transferTo(offset, remaining, target);
      if (n <= 0) {
        if (offset >= ch.size()) {
          throw new StorageException(finalPath + " is shorter than its manifest; was it changed?");
        }
        // The socket's send buffer is full. transferTo does not wait for room (on a virtual
        // thread the socket is non-blocking underneath), so calling it again would spin; a
        // plain write parks until the peer reads, then transferTo can go on.
        if (slow == null) {
          slow = ByteBuffer.allocate((int) Math.min(64 * 1024, remaining));
        }
        slow.clear().limit((int) Math.min(slow.capacity(), remaining));
        int read = ch.read(slow, offset);
        if (read <= 0) {
          throw new StorageException(finalPath + " is shorter than its manifest; was it changed?");
        }
        slow.flip();
        while (slow.hasRemaining()) {
          target.write(slow);
        }
        n = read;
      }
      offset += n;
      remaining -= n;
    }
  }

  private void requireVerified(int index) throws StorageException {
    if (!verified.contains(index)) {
      throw new StorageException("chunk " + index + " of " + name + " is not held");
    }
  }

  @Override
  public void flush() throws StorageException {
    if (complete || closed || recordPath == null) {
      return;
    }
    flushLock.lock();
    try {
      int count = verified.count();
      if (count == lastRecordedCount) {
        return;
      }
      // Data first, then the record that names it: a crash between the two loses nothing.
      channel.force(false);
      new ResumeRecord(name, manifest, verified.toBitfield()).write(recordPath);
      lastRecordedCount = count;
    } catch (IOException e) {
      throw new StorageException("cannot record progress of " + name + ": " + describe(e), e);
    } finally {
      flushLock.unlock();
    }
  }

  @Override
  public void complete() throws SwarmException {
    complete(null);
  }

  /**
   * As {@link #complete()}, with the whole-file SHA-256 already computed by the caller as the
   * chunks came in (hex), so the file is not read a second time; null to compute it here.
   */
  public void complete(@Nullable String wholeFileSha256) throws SwarmException {
    if (complete) {
      return;
    }
    if (verified.count() != manifest.chunkCount()) {
      throw new IllegalStateException("complete() with " + verified.count() + " of " + manifest.chunkCount() + " chunks");
    }
    flushLock.lock();
    try {
      channel.force(true);
      String actual = wholeFileSha256 != null ? wholeFileSha256 : hashWholeFile();
      if (!actual.equals(manifest.sha256())) {
        throw new IntegrityException("every chunk of " + name + " matched, but the whole file does not match the manifest's"
            + " SHA-256; the manifest is inconsistent (made by a faulty or malicious sharer)");
      }
      if (Files.exists(finalPath) && !overwrite) {
        throw new StorageException(finalPath + " appeared while downloading; remove it or pass --overwrite");
      }
      try {
        Files.move(partPath, finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partPath, finalPath, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        throw new StorageException(finalPath + " already exists", e);
      }
      ResumeRecord.syncDirectory(finalPath.toAbsolutePath().getParent());
      Files.deleteIfExists(recordPath);
      complete = true;
      releaseLock();
    } catch (IOException e) {
      throw new StorageException("cannot finish " + name + ": " + describe(e), e);
    } finally {
      flushLock.unlock();
    }
  }

  private String hashWholeFile() throws IOException {
    MessageDigest sha = ManifestBuilder.sha256();
    byte[] buffer = new byte[1024 * 1024];
    ByteBuffer b = ByteBuffer.wrap(buffer);
    long position = 0;
    while (position < manifest.size()) {
      b.clear();
      int n = channel.read(b, position);
      if (n < 0) {
        break;
      }
      sha.update(buffer, 0, n);
      position += n;
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!complete) {
      try {
        flush0();
      } catch (IOException ignored) {
        // the resume record is a hint; a stale one only costs re-hashing
      }
    }
    closeQuietly(channel);
    releaseLock();
  }

  private void flush0() throws IOException {
    if (recordPath != null && verified.count() != lastRecordedCount) {
      channel.force(false);
      new ResumeRecord(name, manifest, verified.toBitfield()).write(recordPath);
    }
  }

  private void releaseLock() {
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it anyway
      }
      closeQuietly(lockChannel);
      try {
        Files.deleteIfExists(finalPath.resolveSibling(name + ".lock"));
      } catch (IOException ignored) {
        // a leftover lock file holds no lock; the next run takes it
      }
      lock = null;
    }
  }

  static String describe(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left on device")) {
      return "the disk is full (No space left on device); free some space and run the same command again to resume";
    }
    return e instanceof java.nio.file.AccessDeniedException ? "permission denied: " + m : m;
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing left to do with a channel that fails to close
      }
    }
  }
}
