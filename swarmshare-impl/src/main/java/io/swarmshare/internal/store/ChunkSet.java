package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe, growing-only set of verified chunk indices. Lock-free, so the peer server can
 * ask "do I have chunk i?" on every request without contending with writers.
 */
public final class ChunkSet {
  private final int size;
  private final AtomicIntegerArray words;
  private final AtomicInteger count = new AtomicInteger();

  public ChunkSet(int size) {
    this.size = size;
    this.words = new AtomicIntegerArray((size + 31) / 32);
  }

  /** Adds {@code index}; returns true if it was not there before. */
  public boolean add(int index) {
    int mask = 1 << (index & 31);
    int w = index >>> 5;
    while (true) {
      int old = words.get(w);
      if ((old & mask) != 0) {
        return false;
      }
      if (words.compareAndSet(w, old, old | mask)) {
        count.incrementAndGet();
        return true;
      }
    }
  }

  public boolean contains(int index) {
    return index >= 0 && index < size && (words.get(index >>> 5) & (1 << (index & 31))) != 0;
  }

  public int count() {
    return count.get();
  }

  public int size() {
    return size;
  }

  /** An immutable snapshot. */
  public Bitfield toBitfield() {
    byte[] bytes = new byte[Bitfield.byteLength(size)];
    // Word w holds chunks 32w.. with chunk 32w in bit 0; the wire form puts the lowest chunk in
    // the high bit of each byte, so reversing a word's bits gives its four bytes in order.
    for (int w = 0; w < words.length(); w++) {
      int reversed = Integer.reverse(words.get(w));
      for (int b = 0; b < 4 && 4 * w + b < bytes.length; b++) {
        bytes[4 * w + b] = (byte) (reversed >>> (24 - 8 * b));
      }
    }
    return Bitfield.fromBytes(size, bytes);
  }

}
