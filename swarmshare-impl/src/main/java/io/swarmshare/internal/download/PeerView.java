package io.swarmshare.internal.download;

/**
 * What this download knows one connected peer holds: its bitfield, grown by its {@code have}
 * announcements. Guarded by the {@link ChunkPicker}'s lock, which changes it together with the
 * availability counts it feeds, so the two never disagree.
 */
final class PeerView {
  private final long[] words;
  private final int size;
  private int cardinality;
  /** Counted in the picker's availability; false before the first bitfield and after removal. */
  boolean counted;

  PeerView(int size) {
    this.size = size;
    this.words = new long[(size + 63) >>> 6];
  }

  boolean has(int index) {
    return (words[index >>> 6] & (1L << index)) != 0;
  }

  /** Adds {@code index}; false if it was there already. */
  boolean add(int index) {
    long bit = 1L << index;
    int w = index >>> 6;
    if ((words[w] & bit) != 0) {
      return false;
    }
    words[w] |= bit;
    cardinality++;
    return true;
  }

  void clear() {
    java.util.Arrays.fill(words, 0);
    cardinality = 0;
  }

  int cardinality() {
    return cardinality;
  }

  /** A seed holds every chunk: downloaders spare its upload for what nobody else has. */
  boolean isSeed() {
    return cardinality == size;
  }

  /** The next held index at or after {@code from}, or -1. */
  int nextSet(int from) {
    if (from >= size) {
      return -1;
    }
    int w = from >>> 6;
    long word = words[w] & (-1L << from);
    while (true) {
      if (word != 0) {
        int i = (w << 6) + Long.numberOfTrailingZeros(word);
        return i < size ? i : -1;
      }
      if (++w == words.length) {
        return -1;
      }
      word = words[w];
    }
  }
}
