package io.swarmshare.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Everything that describes a file's content: its size, its chunk size, the SHA-256 of every
 * chunk and of the whole file. Its {@link #id() id} is the SHA-256 of its
 * {@linkplain #canonicalBytes() canonical bytes}; see {@code docs/FILE-ID.md}.
 *
 * <p>The canonical form is {@code "swarmshare-manifest-v1\n"}, the size and the chunk size in
 * decimal each followed by {@code "\n"}, the whole-file SHA-256 as 64 lower-case hex digits and
 * {@code "\n"}, then every chunk's SHA-256 as 32 raw bytes in order. A file's name is not part
 * of it. Instances are immutable and thread-safe.
 */
public final class Manifest {
  /** The smallest chunk size allowed: 16 KiB. */
  public static final int MIN_CHUNK_SIZE = 16 * 1024;
  /** The largest chunk size allowed: 16 MiB. */
  public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
  /** The default chunk size: 1 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
  /**
   * The most chunks a manifest may have (2^20), which bounds a manifest's canonical form to
   * about 32 MiB and a file to 1 TiB at the default chunk size. Larger files need larger chunks.
   */
  public static final int MAX_CHUNKS = 1 << 20;

  static final String MAGIC = "swarmshare-manifest-v1\n";
  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
  private static final HexFormat HEX = HexFormat.of();
  /** "swarmshare-manifest-v1\n" + 19 digits + "\n" + 8 digits + "\n" + 64 hex + "\n". */
  private static final int MAX_PREAMBLE = MAGIC_BYTES.length + 20 + 9 + 65;

  private final long size;
  private final int chunkSize;
  private final String sha256;
  private final byte[] chunkHashes;
  private final FileId id;

  private Manifest(long size, int chunkSize, String sha256, byte[] chunkHashes) {
    this.size = size;
    this.chunkSize = chunkSize;
    this.sha256 = sha256;
    this.chunkHashes = chunkHashes;
    this.id = FileId.of(sha256(canonical()));
  }

  /**
   * Builds a manifest from its parts, checking that they agree.
   *
   * @param size the file size in bytes, 0 or more
   * @param chunkSize a power of two from {@link #MIN_CHUNK_SIZE} to {@link #MAX_CHUNK_SIZE}
   * @param sha256 the whole-file SHA-256 as 64 hex digits
   * @param chunkHashes every chunk's SHA-256, 32 bytes each, concatenated in order; copied
   * @return the manifest

   * @throws IllegalArgumentException if a part is out of range or the hash count does not
   *     match the size
   */
  public static Manifest of(long size, int chunkSize, String sha256, byte[] chunkHashes) {
    int count = checkLayout(size, chunkSize);
    String hex = sha256.toLowerCase(java.util.Locale.ROOT);
    if (!FileId.isValid(hex)) {
      throw new IllegalArgumentException("whole-file SHA-256 must be 64 hex digits");
    }
    if (chunkHashes.length != count * 32L) {
      throw new IllegalArgumentException("a file of " + size + " bytes in chunks of " + chunkSize
          + " has " + count + " chunks, so " + (count * 32L) + " bytes of hashes; got " + chunkHashes.length);
    }
    return new Manifest(size, chunkSize, hex, chunkHashes.clone());
  }

  /**
   * Checks a size and chunk size and returns the chunk count they imply.
   *
   * @param size the file size in bytes
   * @param chunkSize the chunk size in bytes
   * @return how many chunks the file has
   * @throws IllegalArgumentException if the chunk size is not an allowed power of two, the size
   *     is negative, or the file would need more than {@link #MAX_CHUNKS} chunks
   */
  public static int checkLayout(long size, int chunkSize) {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Integer.bitCount(chunkSize) != 1) {
      throw new IllegalArgumentException(
          "chunk size must be a power of two from 16 KiB to 16 MiB, got " + chunkSize);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    long count = size / chunkSize + (size % chunkSize == 0 ? 0 : 1);
    if (count > MAX_CHUNKS) {
      throw new IllegalArgumentException("a file of " + size + " bytes needs " + count
          + " chunks of " + chunkSize + " bytes; at most " + MAX_CHUNKS + " are allowed, use a larger chunk size");
    }
    return (int) count;
  }

  /**
   * Parses and validates canonical bytes received from elsewhere. Every number is checked
   * before anything is allocated, so hostile input costs no more memory than its own length.
   *
   * @param canonical the canonical form, as received; copied, not kept
   * @return the manifest; its id is the SHA-256 of {@code canonical}
   * @throws MalformedManifestException if the bytes are not a well-formed canonical manifest
   */
  public static Manifest parse(byte[] canonical) throws MalformedManifestException {
    if (canonical.length < MAGIC_BYTES.length
        || !Arrays.equals(canonical, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
      throw new MalformedManifestException("does not start with \"swarmshare-manifest-v1\\n\"");
    }
    int[] pos = {MAGIC_BYTES.length};
    long size = readDecimal(canonical, pos, "size");
    long chunkSizeLong = readDecimal(canonical, pos, "chunk size");
    if (chunkSizeLong > MAX_CHUNK_SIZE) {
      throw new MalformedManifestException("chunk size " + chunkSizeLong + " is larger than 16 MiB");
    }
    int chunkSize = (int) chunkSizeLong;
    int count;
    try {
      count = checkLayout(size, chunkSize);
    } catch (IllegalArgumentException e) {
      throw new MalformedManifestException(String.valueOf(e.getMessage()), e);
    }
    int p = pos[0];
    if (canonical.length - p < 65) {
      throw new MalformedManifestException("truncated before the whole-file SHA-256");
    }
    String hex = new String(canonical, p, 64, StandardCharsets.US_ASCII);
    if (!FileId.isValid(hex) || canonical[p + 64] != '\n') {
      throw new MalformedManifestException("whole-file SHA-256 is not 64 lower-case hex digits and a newline");
    }
    p += 65;
    long expected = count * 32L;
    long actual = (long) canonical.length - p;
    if (actual != expected) {
      throw new MalformedManifestException("expected " + count + " chunk hashes (" + expected
          + " bytes) for " + size + " bytes in chunks of " + chunkSize + ", got " + actual + " bytes");
    }
    return new Manifest(size, chunkSize, hex, Arrays.copyOfRange(canonical, p, canonical.length));
  }

  /**
   * The exact length of the canonical bytes of a manifest with this layout, so a receiver can
   * refuse a body of any other length before reading it.
   *
   * @param size the file size in bytes
   * @param chunkSize the chunk size in bytes
   * @return the length in bytes
   * @throws IllegalArgumentException if the layout is not allowed
   */
  public static long canonicalLength(long size, int chunkSize) {
    int count = checkLayout(size, chunkSize);
    return MAGIC_BYTES.length + Long.toString(size).length() + 1 + Integer.toString(chunkSize).length() + 1
        + 65 + count * 32L;
  }

  /** {@return the largest canonical form any manifest can have in bytes, about 32 MiB} */
  public static long maxCanonicalLength() {
    return MAX_PREAMBLE + MAX_CHUNKS * 32L;
  }

  /** {@return the file's id: SHA-256 of {@link #canonicalBytes()}} */
  public FileId id() {
    return id;
  }

  /** {@return the file's size in bytes} */
  public long size() {
    return size;
  }

  /** {@return the size of every chunk but the last, in bytes} */
  public int chunkSize() {
    return chunkSize;
  }

  /** {@return how many chunks the file has; 0 for an empty file} */
  public int chunkCount() {
    return chunkHashes.length / 32;
  }

  /** {@return the whole-file SHA-256 as 64 lower-case hex digits} */
  public String sha256() {
    return sha256;
  }

  /**
   * Where a chunk starts in the file.
   *
   * @param index chunk index, {@code 0..chunkCount()-1}
   * @return the chunk's offset in bytes
   * @throws IndexOutOfBoundsException if there is no such chunk
   */
  public long chunkOffset(int index) {
    checkIndex(index);
    return (long) index * chunkSize;
  }

  /**
   * The length of a chunk: the chunk size, or less for the last one.
   *
   * @param index chunk index, {@code 0..chunkCount()-1}
   * @return the chunk's length in bytes
   * @throws IndexOutOfBoundsException if there is no such chunk
   */
  public int chunkLength(int index) {
    checkIndex(index);
    return (int) Math.min(chunkSize, size - (long) index * chunkSize);
  }

  /**
   * The SHA-256 of a chunk.
   *
   * @param index chunk index, {@code 0..chunkCount()-1}
   * @return the 32-byte digest, a fresh copy each call
   * @throws IndexOutOfBoundsException if there is no such chunk
   */
  public byte[] chunkHash(int index) {
    checkIndex(index);
    return Arrays.copyOfRange(chunkHashes, index * 32, index * 32 + 32);
  }

  /**
   * Checks a chunk's digest without copying the stored one.
   *
   * @param index chunk index, {@code 0..chunkCount()-1}
   * @param digest the SHA-256 of the bytes received for that chunk
   * @return true if {@code digest} is the SHA-256 this manifest names for chunk {@code index}
   * @throws IndexOutOfBoundsException if there is no such chunk
   */
  public boolean chunkHashMatches(int index, byte[] digest) {
    checkIndex(index);
    return digest.length == 32 && Arrays.equals(chunkHashes, index * 32, index * 32 + 32, digest, 0, 32);
  }

  /** {@return the canonical bytes that define the id, a fresh copy each call} */
  public byte[] canonicalBytes() {
    return canonical();
  }

  /**
   * Writes the canonical bytes to {@code out} without copying the chunk hashes, so a server can
   * send a large manifest to many clients at once without a copy per client. Does not flush.
   *
   * @param out where to write
   * @throws IOException if {@code out} fails
   */
  public void writeCanonical(OutputStream out) throws IOException {
    out.write(preamble());
    out.write(chunkHashes);
  }

  /** {@return the exact length of {@link #canonicalBytes()}} */

  public long canonicalLength() {
    return canonicalLength(size, chunkSize);
  }

  private byte[] preamble() {
    return (MAGIC + size + "\n" + chunkSize + "\n" + sha256 + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] canonical() {
    byte[] preamble = preamble();
    byte[] out = Arrays.copyOf(preamble, preamble.length + chunkHashes.length);
    System.arraycopy(chunkHashes, 0, out, preamble.length, chunkHashes.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && m.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Manifest[id=" + id.shortForm() + ", size=" + size + ", chunkSize=" + chunkSize
        + ", chunks=" + chunkCount() + "]";
  }

  private void checkIndex(int index) {
    Objects.checkIndex(index, chunkCount());
  }

  private static long readDecimal(byte[] in, int[] pos, String what) throws MalformedManifestException {
    int p = pos[0];
    int start = p;
    long value = 0;
    while (p < in.length && in[p] != '\n') {
      byte b = in[p];
      if (b < '0' || b > '9') {
        throw new MalformedManifestException(what + " is not a decimal number");
      }
      if (p - start >= 18) {
        throw new MalformedManifestException(what + " has too many digits");
      }
      value = value * 10 + (b - '0');
      p++;
    }
    if (p >= in.length) {
      throw new MalformedManifestException("truncated in " + what);
    }
    if (p == start || (in[start] == '0' && p - start > 1)) {
      throw new MalformedManifestException(what + " must be a decimal number without leading zeros");
    }
    pos[0] = p + 1;
    return value;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
