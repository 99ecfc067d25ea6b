package io.swarmshare.internal.download;

import io.swarmshare.internal.store.FileStore;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/**
 * Chunk-sized buffers shared by one download's sessions, so a chunk costs no new memory: a
 * session takes one when a chunk's body starts and it comes back once the chunk is verified
 * and hashed. The pool grows to the most chunks ever in flight at once.
 * Direct buffers are for transports that read the socket straight into them, and start at a
 * 4 KiB boundary so the file store can write them around the page cache; heap buffers are for
 * the rest (TLS). Direct memory has its own limit ({@code -XX:MaxDirectMemorySize}, by default
 * the heap's size): when it is used up, a session gets a heap buffer instead and reads through
 * the stream, a little slower but never failing. Thread-safe.
 */
final class BufferPool {
  /** Direct buffers start at a multiple of this: the largest block a disk asks direct writes to align to. */
  static final int ALIGNMENT = FileStore.DIRECT_WRITE_ALIGNMENT;
  private final int chunkSize;
  private final IntFunction<ByteBuffer> allocateDirect;
  private final Queue<ByteBuffer> direct = new ConcurrentLinkedQueue<>();
  private final Queue<ByteBuffer> heap = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  BufferPool(int chunkSize) {
    this(chunkSize, BufferPool::allocateAligned);
  }

  /**
   * A direct buffer of {@code size} bytes whose first byte is at an address that is a multiple of
   * {@link #ALIGNMENT}, so the file store can hand it to the disk around the page cache.
   */
  static ByteBuffer allocateAligned(int size) {
    int rounded = (size + ALIGNMENT - 1) & -ALIGNMENT;
    return ByteBuffer.allocateDirect(rounded + ALIGNMENT).alignedSlice(ALIGNMENT).limit(size).slice();
  }

  /** A pool whose direct buffers come from {@code allocateDirect}; for tests. */
  BufferPool(int chunkSize, IntFunction<ByteBuffer> allocateDirect) {
    this.chunkSize = chunkSize;
    this.allocateDirect = allocateDirect;
  }

  /**
   * A cleared buffer of one chunk, reused if one is free: direct if asked for and direct memory
   * allows, else on the heap.
   */
  ByteBuffer take(boolean directBuffer) {
    ByteBuffer b = (directBuffer ? direct : heap).poll();
    if (b == null && directBuffer) {
      try {
        b = allocateDirect.apply(chunkSize);
      } catch (OutOfMemoryError e) {
        // "Cannot reserve direct buffer memory": the heap path works with any buffer.
        b = heap.poll();
      }
    }
    if (b == null) {
      b = ByteBuffer.allocate(chunkSize);
    }
    return b.clear();
  }

  /** Returns a buffer from {@link #take} for another session; dropped once the pool is closed. */
  void give(ByteBuffer b) {
    if (closed) {
      return;
    }
    (b.isDirect() ? direct : heap).add(b);
    if (closed) {
      clear(); // closed meanwhile
    }
  }

  /**
   * Drops every pooled buffer, for a download that ended: a caller may keep its handle for
   * long, and its buffers should not stay with it.
   */
  void close() {
    closed = true;
    clear();
  }

  private void clear() {
    direct.clear();
    heap.clear();
  }
}
