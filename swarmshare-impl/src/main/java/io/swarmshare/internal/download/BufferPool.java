package io.swarmshare.internal.download;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Chunk-sized buffers shared by one download's sessions, so a peer that comes and goes costs no
 * new memory: a session takes its buffers when a peer answers and gives them back when it ends.
 * Direct buffers are for transports that read the socket straight into them; heap buffers for
 * the rest (TLS). Thread-safe.
 */
final class BufferPool {
  private final int chunkSize;
  private final Queue<ByteBuffer> direct = new ConcurrentLinkedQueue<>();
  private final Queue<ByteBuffer> heap = new ConcurrentLinkedQueue<>();

  BufferPool(int chunkSize) {
    this.chunkSize = chunkSize;
  }

  /** A cleared buffer of one chunk, reused if one is free. */
  ByteBuffer take(boolean directBuffer) {
    ByteBuffer b = (directBuffer ? direct : heap).poll();
    if (b == null) {
      b = directBuffer ? ByteBuffer.allocateDirect(chunkSize) : ByteBuffer.allocate(chunkSize);
    }
    return b.clear();
  }

  /** Returns a buffer from {@link #take} for another session. */
  void give(ByteBuffer b) {
    (b.isDirect() ? direct : heap).add(b);
  }
}
