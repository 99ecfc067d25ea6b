package io.swarmshare.internal.store;

import java.util.Objects;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.FileExistsException;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link PieceStore}: one preallocated {@code NAME.part} file written at chunk
 * offsets, a {@code NAME.resume} record beside it (durable: names only chunks whose bytes were
 * synced), {@code NAME.marks} (not synced: one byte per written chunk, so a kill -9 loses only
 * chunks in flight), and a {@code NAME.lock} held while a download runs so two downloads of one
 * file into one directory cannot interleave. The file gets its final name only after the whole
 * file matched the manifest. {@code docs/STORAGE.md} gives the write ordering and why it is safe.
 *
 * <p>A store for a file that is already complete (a shared file, or a finished download)
 * serves from it read-only. Thread-safe: chunks are written with positional writes.
 */
public final class FileStore implements PieceStore {
  /**
   * Chunk buffers whose address is a multiple of this can be written around the page cache
   * (see {@link #writeChunk(int, ByteBuffer, boolean)}); the download engine aligns its own.
   */
  public static final int DIRECT_WRITE_ALIGNMENT = DirectWrites.MAX_BLOCK;
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
  private volatile @Nullable DownloadLock lock;
  private volatile @Nullable ChunkMarks marks;
  /** Writes chunks around the page cache where that works; null where it does not. */
  private volatile @Nullable DirectWrites direct;
  private volatile boolean complete;
  private volatile boolean closed;
  /** The {@code .part} this store writes, by identity, so a swap behind its back is noticed; null where unknown. */
  private @Nullable Object partKey;
  private int lastRecordedCount = -1;
  /**
   * Set once forcing the {@code .part} failed. Linux may drop the dirty pages of a failed fsync
   * and report success on the next one, so after a failure no record is written again by this
   * store: it could name chunks whose bytes were lost. Earlier records stay true.
   */
  private volatile boolean syncFailed;

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

  /** Opens the {@code .part} of a download; a seam for tests that need a failing disk. */
  @FunctionalInterface
  public interface PartOpener {
    FileChannel open(Path part) throws IOException;
  }

  /** Opens the {@code .part} that is there by now (kept, or just created anew), never through a link. */
  private static final PartOpener PLAIN = part -> LocalFiles.openPlain(part, StandardOpenOption.READ,
      StandardOpenOption.WRITE);

  /**
   * Opens or creates the {@code .part} of a download of {@code manifest} into {@code dir} under
   * {@code name} (already a safe file name). Leftovers of an earlier run are re-hashed and only
   * chunks that verify are kept. Nothing beside the download is opened through a link: a link
   * (or any other thing that is not a plain file) under one of the store's names is removed,
   * and a link under the final name counts as a file that exists (see {@link LocalFiles}).
   *
   * @throws StorageException if the directory is not writable, the final file exists and
   *     {@code overwrite} is false, or another download of the same file holds the lock
   */
  public static FileStore download(Path dir, String name, Manifest manifest, boolean overwrite) throws StorageException {
    return download(dir, name, manifest, overwrite, PLAIN);
  }

  /** As {@link #download(Path, String, Manifest, boolean)}, opening the {@code .part} with {@code opener}. */
  public static FileStore download(Path dir, String name, Manifest manifest, boolean overwrite, PartOpener opener)
      throws StorageException {
    Path finalPath = dir.resolve(name);
    if (!parentOf(finalPath).equals(dir) || !finalPath.getFileName().toString().equals(name)) {
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
    Path part = dir.resolve(name + ".part");
    Path record = recordPathFor(finalPath);
    Path marksPath = dir.resolve(name + ".marks");
    DownloadLock lock = DownloadLock.acquire(dir.resolve(name + ".lock"), name);
    FileChannel ch = null;
    ChunkMarks marks = null;
    @Nullable Object partKey;
    try {
      // A record write cut short by a crash leaves its temporary file; it was never the record.
      Files.deleteIfExists(record.resolveSibling(record.getFileName() + ".tmp"));
      if (LocalFiles.exists(finalPath) && !LocalFiles.exists(part)) {
        // A crash between the final rename and deleting the record: that download finished.
        Files.deleteIfExists(record);
        Files.deleteIfExists(marksPath);
      }
      if (LocalFiles.exists(finalPath) && !overwrite) {
        throw new FileExistsException(alreadyThere(finalPath, "already exists"));
      }
      ChunkSet verified = new ChunkSet(manifest.chunkCount());
      Resume resume = Resume.examine(record, marksPath, part, manifest, verified);
      if (!resume.partKept()) {
        LocalFiles.createFresh(part).close();
      }
      ch = opener.open(part);
      partKey = partKey(part);
      if (ch.size() != manifest.size()) {
        if (ch.size() > manifest.size()) {
          ch.truncate(manifest.size());
        }
        // Sparse preallocation: the size is set now, blocks are claimed as chunks land.
        if (manifest.size() > 0 && ch.size() < manifest.size()) {
          ch.write(ByteBuffer.wrap(new byte[1]), manifest.size() - 1);
        }
      }
      // The record comes after the .part exists and before any chunk is written, so every
      // later crash finds one; kept chunks are synced first because a killed run's bytes may
      // still be only in the page cache. Then marks start afresh: the record now holds theirs.
      if (resume.kept() > 0) {
        ch.force(false);
      }
      new ResumeRecord(name, manifest, verified.toBitfield()).write(record);
      marks = ChunkMarks.create(marksPath, manifest);
      FileStore store = new FileStore(manifest, finalPath, part, name, overwrite, verified, ch,
          resume.kept(), resume.discarded(), resume.note());
      store.partKey = partKey;
      store.lock = lock;
      store.marks = marks;
      store.lastRecordedCount = verified.count();
      // Not for a channel a test opened its own way (to fail it, say): that one must get every write.
      store.direct = opener == PLAIN ? DirectWrites.open(part, partKey, manifest.chunkSize()) : null;
      return store;
    } catch (StorageException | RuntimeException e) {
      closeQuietly(marks);
      closeQuietly(ch);
      lock.close();
      throw e;
    } catch (IOException e) {
      closeQuietly(marks);
      closeQuietly(ch);
      lock.close();
      throw new StorageException("cannot prepare " + part + ": " + describe(e), e);
    }
  }

  /** Says that something is at the final name, and whether it is a link, which is never followed. */
  private static String alreadyThere(Path finalPath, String what) {
    String link = Files.isSymbolicLink(finalPath) ? " (a symbolic link, which is never followed)" : "";
    return finalPath + " " + what + link;
  }

  /** Which file is at {@code path} itself (device and inode where the platform has them). */
  private static @Nullable Object partKey(Path path) throws IOException {
    BasicFileAttributes a = LocalFiles.attributes(path);
    return a == null ? null : a.fileKey();
  }

  /** The directory {@code file} is in: every path this package handles names a file in a directory. */
  static Path parentOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("not a file in a directory: " + file);
    }
    return parent;
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

  /** True if chunks are written around the page cache (see {@link DirectWrites}); for tests. */
  boolean writesDirect() {
    DirectWrites d = direct;
    return d != null && d.working();
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
    writeChunk(index, data, false);
  }

  /**
   * As {@link #writeChunk(int, ByteBuffer)}; {@code readSoon} says the chunk will be read back
   * shortly (by the whole-file hash, when it arrived out of order), so it goes through the page
   * cache, where that read finds it, rather than around it to the disk.
   */
  public void writeChunk(int index, ByteBuffer data, boolean readSoon) throws StorageException {
    if (complete) {
      data.position(data.limit());
      return;
    }
    long offset = manifest.chunkOffset(index);
    DirectWrites d = direct;
    try {
      if (d == null || readSoon || !d.write(data, offset)) {
        while (data.hasRemaining()) {
          offset += channel.write(data, offset);
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + partPath + ": " + describe(e), e);
    }
    ChunkMarks m = marks;
    if (m != null) {
      try {
        m.mark(index);
      } catch (IOException e) {
        // Only a hint for a kill -9 is lost; the next resume record still names the chunk.
      }
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

  /** What {@link #transferChunk} copies through the heap to wait for room in the socket. */
  private static final int STALL_WRITE_BYTES = 4096;

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
        // plain write of a few bytes parks until the peer has read enough to make room, then
        // transferTo goes on. Small, so nearly every byte still goes by sendfile.
        if (slow == null) {
          slow = ByteBuffer.allocate((int) Math.min(STALL_WRITE_BYTES, remaining));
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
      record();
    } catch (IOException e) {
      throw new StorageException("cannot record progress of " + name + ": " + describe(e), e);
    } finally {
      flushLock.unlock();
    }
  }

  /**
   * Makes written chunks durable, then records them. The snapshot is taken before the sync:
   * a chunk is in the set only after its bytes were written, so the sync covers every chunk the
   * record names; a chunk that lands after the snapshot waits for the next record.
   */
  private void record() throws IOException {
    if (syncFailed) {
      throw new IOException("an earlier sync of " + partPath + " failed, so progress is no longer recorded;"
          + " run the download again to resume from the last record");
    }
    int count = verified.count();
    if (count == lastRecordedCount) {
      return;
    }
    Bitfield snapshot = verified.toBitfield();
    try {
      channel.force(false);
    } catch (IOException e) {
      syncFailed = true;
      throw e;
    }
    new ResumeRecord(name, manifest, snapshot).write(Objects.requireNonNull(recordPath));
    lastRecordedCount = snapshot.cardinality();
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
      if (LocalFiles.exists(finalPath) && !overwrite) {
        throw new FileExistsException(alreadyThere(finalPath, "appeared while downloading"));
      }
      // The bytes that matched are in the file this store holds open; what is under the .part's
      // name must still be that file, or someone swapped it (for a link, say) behind our back.
      if (!isOurs(Objects.requireNonNull(partPath))) {
        throw new StorageException(replaced());
      }
      // A rename never follows a link: a link at the final name (with --overwrite) is replaced itself.
      try {
        LocalFiles.replace(partPath, finalPath);
      } catch (FileAlreadyExistsException e) {
        throw new StorageException(finalPath + " already exists", e);
      }
      if (!isOurs(finalPath)) {
        // Swapped between the check and the rename: what now has the final name is not what was verified.
        Files.deleteIfExists(finalPath);
        throw new StorageException(replaced());
      }
      ResumeRecord.syncDirectory(parentOf(finalPath));
      // A crash before these deletes leaves a record beside a finished file; the next run removes it.
      Files.deleteIfExists(recordPath);
      closeMarks(true);
      complete = true;
      // Nothing more is written; a store that goes on seeding keeps one descriptor, not two.
      closeQuietly(direct);
      direct = null;
      releaseLock();
    } catch (IOException e) {
      throw new StorageException("cannot finish " + name + ": " + describe(e), e);
    } finally {
      flushLock.unlock();
    }
  }

  private String replaced() {
    return partPath + " was replaced while downloading (by another program, or someone else who can write into "
        + finalPath.getParent() + "); run the download again, into a directory only you can write";
  }

  /** True if {@code path} itself is the plain file this store wrote, as far as the platform can tell. */
  private boolean isOurs(Path path) throws IOException {
    BasicFileAttributes a = LocalFiles.attributes(path);
    return a != null && LocalFiles.isPlainFile(path, a) && (partKey == null || partKey.equals(a.fileKey()));
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
    if (!complete && recordPath != null) {
      flushLock.lock();
      try {
        record();
      } catch (IOException ignored) {
        // the last record that was written stays true; only chunks since then are re-fetched
      } finally {
        flushLock.unlock();
      }
    }
    closed = true;
    closeMarks(false);
    closeQuietly(direct);
    closeQuietly(channel);
    releaseLock();
  }

  private void closeMarks(boolean delete) {
    ChunkMarks m = marks;
    if (m != null) {
      m.close();
      marks = null;
    }
    if (delete && partPath != null) {
      try {
        Files.deleteIfExists(finalPath.resolveSibling(name + ".marks"));
      } catch (IOException ignored) {
        // a leftover marks file is for a file that is complete; the next download replaces it
      }
    }
  }

  private void releaseLock() {
    DownloadLock l = lock;
    if (l != null) {
      lock = null;
      l.close();
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
