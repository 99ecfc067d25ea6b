package io.swarmshare.internal.download;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.api.PieceStore;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Computes the whole-file SHA-256 while the download runs, following the verified chunks in
 * order. A session hands over the buffer of a chunk that is next in line ({@link #offer}), so the
 * bytes are hashed where they already are; any other chunk (out of order, resumed, or offered
 * too late) is read back from the page cache once all before it are in. Chunks arrive nearly in
 * order (the picker prefers low indices), so when the last one lands only a short tail is left,
 * instead of a second pass over the whole file.
 *
 * <p>What it checks is that the verified chunks, as they were written, make up the file the
 * manifest's whole-file hash names: it catches a manifest whose chunk hashes and file hash
 * disagree. It does not re-read the disk; neither did reading back through the page cache.
 *
 * <p>Runs on a platform thread of its own: it is pure CPU work and should get its own core
 * rather than occupy a carrier of the virtual threads that move the bytes.
 */
final class WholeFileHasher implements Runnable {
  /**
   * Reads of up to this many bytes of consecutive chunks at once (at least one chunk). Held per
   * download while it runs: 4 MiB made 800 MiB of heap across the simulator's 200 leechers,
   * where chunks arrive out of order and every hasher reads back.
   */
  private static final int READ_BYTES = 1024 * 1024;

  /** True once the download failed or was cancelled, so hashing should stop. */
  private final BooleanSupplier abandoned;
  private final PieceStore store;
  private final Manifest manifest;
  private final int count;
  /** How many consecutive stored chunks one read back takes. */
  private final int perRead;
  private final MessageDigest sha = ManifestBuilder.sha256();
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  /** Offered buffers for chunks {@code next .. wanted-1}, in order; guarded by {@link #lock}. */
  private final ArrayDeque<ChunkBuffer> offered = new ArrayDeque<>();
  /** The first chunk not yet hashed or queued; -1 once no more offers are taken. Guarded. */
  private volatile int wanted;
  /** The first chunk not yet hashed; only the hashing thread writes it. */
  private int next;
  /** For chunks read back from the store; allocated only if one is. */
  private @Nullable ByteBuffer readBuffer;
  private volatile @Nullable String digest;
  private volatile @Nullable StorageException failure;

  WholeFileHasher(PieceStore store, BooleanSupplier abandoned) {
    this.abandoned = abandoned;
    this.store = store;
    this.manifest = store.manifest();
    this.count = manifest.chunkCount();
    this.perRead = Math.max(1, READ_BYTES / manifest.chunkSize());
    this.thread = new Thread(this, "swarmshare-whole-hash-" + manifest.id().shortForm());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Offers the verified bytes of {@code chunk} for hashing in place. Taken only if it is the
   * next chunk the hash needs; then the buffer is retained and released once hashed.
   *
   * @return true if the buffer was taken
   */
  boolean offer(int chunk, ChunkBuffer buffer) {
    if (chunk != wanted) { // a racy pre-check; the decision is made under the lock
      return false;
    }
    lock.lock();
    try {
      if (chunk != wanted) {
        return false;
      }
      buffer.retain();
      offered.add(buffer);
      wanted = chunk + 1;
      work.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the hasher: a chunk was stored, or the download ended. */
  void changed() {
    lock.lock();
    try {
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    try {
      // One step per chunk or run of chunks, in a method of its own so the JIT compiles it; a
      // loop that runs for the whole download would stay interpreted.
      while (next < count) {
        if (!step()) {
          return;
        }
      }
      digest = HexFormat.of().formatHex(sha.digest());
    } catch (StorageException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      readBuffer = null; // a finished download's handle may live on in the application: keep no read buffer
      // No more offers; hand back whatever is still queued so no session waits for it.
      lock.lock();
      try {
        wanted = -1;
        for (ChunkBuffer b; (b = offered.poll()) != null; ) {
          b.release();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Hashes the next offered chunk or stored run of chunks, or waits; false if abandoned. */
  private boolean step() throws StorageException, InterruptedException {
    ChunkBuffer handed = null;
    int run = 0;
    lock.lock();
    try {
      if (wanted > next) {
        handed = offered.poll();
      } else {
        while (run < perRead && next + run < count && store.has(next + run)) {
          run++;
        }
        if (run > 0) {
          wanted = next + run;
        } else if (abandoned.getAsBoolean()) {
          return false;
        } else {
          work.await(100, TimeUnit.MILLISECONDS);
          return true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (handed != null) {
      try {
        sha.update(handed.bytes().duplicate());
      } finally {
        handed.release();
      }
      next++;
      return true;
    }
    ByteBuffer b = readBuffer;
    if (b == null) {
      b = ByteBuffer.allocate(Math.min(perRead, count) * manifest.chunkSize());
      readBuffer = b;
    }
    b.clear();
    for (int i = 0; i < run; i++) {
      store.readChunk(next + i, b);
    }
    sha.update(b.array(), 0, b.position());
    next += run;
    return true;
  }

  /**
   * Waits for the hash of the whole file, once every chunk is in.
   *
   * @return the hex digest, or null if hashing was abandoned
   */
  @Nullable String await() throws StorageException, InterruptedException {
    thread.join();
    StorageException f = failure;
    if (f != null) {
      throw f;
    }
    return digest;
  }
}
