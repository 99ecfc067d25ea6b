package io.swarmshare.api;

import java.util.Arrays;

/**
 * Which chunks of a file a peer holds: an immutable set of indices {@code 0..size-1}.
 *
 * <p>On the wire a bitfield is {@code ceil(size/8)} bytes, most significant bit first: chunk 0
 * is bit 7 of byte 0. Bits past {@code size} are zero; {@link #fromBytes} rejects any other
 * padding, so two equal sets always have equal bytes. Instances are immutable and thread-safe.
 */
public final class Bitfield {
  private final int size;
  private final byte[] bits;
  /**
   * The set bits, counted on first use (-1 until then): a tracker asks every listed peer's
   * bitfield whether it is complete. The bits never change, so threads that race here count the
   * same number.
   */
  private int cardinality = -1;

  private Bitfield(int size, byte[] bits) {
    this.size = size;
    this.bits = bits;
  }

  /**
   * A bitfield of {@code size} chunks with none set.
   *
   * @param size number of chunks in the file, zero or more
   * @return a bitfield with no chunk set
   */
  public static Bitfield empty(int size) {
    checkSize(size);
    return new Bitfield(size, new byte[byteLength(size)]);
  }

  /**
   * A bitfield of {@code size} chunks with every one set.
   *
   * @param size number of chunks in the file, zero or more
   * @return a bitfield with every chunk set
   */
  public static Bitfield full(int size) {
    checkSize(size);
    byte[] bits = new byte[byteLength(size)];
    Arrays.fill(bits, (byte) 0xFF);
    clearPadding(size, bits);
    return new Bitfield(size, bits);
  }

  /**
   * Reads the wire form.
   *
   * @param size number of chunks in the file
   * @param bytes the wire form; copied, not kept
   * @return the bitfield the bytes describe
   * @throws IllegalArgumentException if the length is not {@code ceil(size/8)} or padding bits
   *     are set
   */
  public static Bitfield fromBytes(int size, byte[] bytes) {
    checkSize(size);
    if (bytes.length != byteLength(size)) {
      throw new IllegalArgumentException(
          "bitfield of " + size + " chunks needs " + byteLength(size) + " bytes, got " + bytes.length);
    }
    byte[] copy = bytes.clone();
    byte[] check = copy.clone();
    clearPadding(size, check);
    if (!Arrays.equals(copy, check)) {
      throw new IllegalArgumentException("bitfield has bits set past chunk " + (size - 1));
    }
    return new Bitfield(size, copy);
  }

  /**
   * The number of bytes the wire form of {@code size} chunks takes.
   *
   * @param size number of chunks
   * @return {@code ceil(size/8)}
   */
  public static int byteLength(int size) {
    return (int) ((size + 7L) / 8);
  }

  /** {@return how many chunks this bitfield describes} */
  public int size() {
    return size;
  }

  /**
   * Whether one chunk is set.
   *
   * @param index chunk index, {@code 0..size-1}
   * @return true if chunk {@code index} is set
   * @throws IndexOutOfBoundsException if {@code index} is outside the bitfield
   */
  public boolean get(int index) {
    checkIndex(index);
    return (bits[index >>> 3] & (0x80 >>> (index & 7))) != 0;
  }

  /**
   * A copy with one more chunk set.
   *
   * @param index chunk index to set, {@code 0..size-1}
   * @return a new bitfield; this one is unchanged
   * @throws IndexOutOfBoundsException if {@code index} is outside the bitfield
   */
  public Bitfield with(int index) {
    checkIndex(index);
    byte[] copy = bits.clone();
    copy[index >>> 3] |= (byte) (0x80 >>> (index & 7));
    return new Bitfield(size, copy);
  }

  /**
   * A copy with every chunk set that is set here or in {@code other}.
   *
   * @param other a bitfield of the same size
   * @return the union, as a new bitfield
   * @throws IllegalArgumentException if the sizes differ
   */
  public Bitfield or(Bitfield other) {
    if (other.size != size) {
      throw new IllegalArgumentException("sizes differ: " + size + " and " + other.size);
    }
    byte[] copy = bits.clone();
    for (int i = 0; i < copy.length; i++) {
      copy[i] |= other.bits[i];
    }
    return new Bitfield(size, copy);
  }

  /** {@return how many chunks are set} */
  public int cardinality() {
    int n = cardinality;
    if (n < 0) {
      n = 0;
      for (byte b : bits) {
        n += Integer.bitCount(b & 0xFF);
      }
      cardinality = n;
    }
    return n;
  }

  /** {@return true if every chunk is set (also for a file of zero chunks)} */
  public boolean isComplete() {
    return cardinality() == size;
  }

  /**
   * Finds the next set chunk.
   *
   * @param from first index to look at; a negative value means 0
   * @return the index of the first set chunk at or after {@code from}, or -1 if there is none
   */
  public int nextSet(int from) {
    for (int i = Math.max(0, from); i < size; i++) {
      if ((bits[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@return the wire form, a fresh copy each call} */

  public byte[] toByteArray() {
    return bits.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bitfield b && b.size == size && Arrays.equals(b.bits, bits);
  }

  @Override
  public int hashCode() {
    return 31 * size + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "Bitfield[" + cardinality() + "/" + size + "]";
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("chunk " + index + " of " + size);
    }
  }

  private static void checkSize(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  private static void clearPadding(int size, byte[] bits) {
    int rem = size & 7;
    if (rem != 0) {
      bits[bits.length - 1] &= (byte) (0xFF << (8 - rem));
    }
  }
}
