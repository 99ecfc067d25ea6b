package io.swarmshare.internal.download;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One chunk's buffer, shared between a session's verifier and the whole-file hasher: it goes
 * back to its owner (the download's pool) when the last holder releases it, so the bytes are
 * never copied to be hashed twice.
 */
final class ChunkBuffer {
  private final ByteBuffer bytes;
  private final Consumer<ChunkBuffer> home;
  private final AtomicInteger holders = new AtomicInteger();

  ChunkBuffer(ByteBuffer bytes, Consumer<ChunkBuffer> home) {
    this.bytes = bytes;
    this.home = home;
  }

  /** The chunk's bytes, from position 0 to the limit; holders read them through duplicates. */
  ByteBuffer bytes() {
    return bytes;
  }

  /** Takes the buffer for a first holder, who fills it. */
  ChunkBuffer acquire() {
    holders.set(1);
    bytes.clear();
    return this;
  }

  /** Adds a holder. */
  void retain() {
    holders.incrementAndGet();
  }

  /** Drops a holder; the last one sends the buffer home. */
  void release() {
    if (holders.decrementAndGet() == 0) {
      home.accept(this);
    }
  }
}
