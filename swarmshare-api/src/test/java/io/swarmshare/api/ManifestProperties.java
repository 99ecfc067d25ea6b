package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Manifest#parse} takes bytes from trackers, peers and files on disk. Whatever they are, it
 * returns a manifest or throws {@link MalformedManifestException}; what it accepts is exactly the
 * canonical form of what it returns; and a length it reads is never allocated before the bytes
 * are there. The number of tries comes from {@code junit-platform.properties} (docs/TESTING.md).
 */
class ManifestProperties {
  private static final byte[] MAGIC = Manifest.MAGIC.getBytes(StandardCharsets.US_ASCII);

  @Property
  void everyManifestRoundTripsThroughItsCanonicalBytes(@ForAll("manifests") Manifest m) throws Exception {
    byte[] bytes = m.canonicalBytes();
    Manifest back = Manifest.parse(bytes);
    assertEquals(m.id(), back.id());
    assertEquals(m.size(), back.size());
    assertEquals(m.chunkSize(), back.chunkSize());
    assertEquals(m.sha256(), back.sha256());
    assertArrayEquals(bytes, back.canonicalBytes());
    assertEquals(bytes.length, Manifest.canonicalLength(m.size(), m.chunkSize()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    back.writeCanonical(out);
    assertArrayEquals(bytes, out.toByteArray());
  }

  @Property
  void arbitraryBytesAreRejectedCleanlyOrAreCanonical(@ForAll @Size(max = 120) byte[] junk) {
    parsesToItselfOrIsRejected(junk);
  }

  @Property
  void arbitraryPreamblesAreRejectedCleanlyOrAreCanonical(@ForAll("preambles") byte[] bytes) {
    parsesToItselfOrIsRejected(bytes);
  }

  @Property
  void mutatedManifestsAreRejectedCleanlyOrAreCanonical(
      @ForAll("manifests") Manifest m, @ForAll("mutations") List<Mutation> mutations) {
    parsesToItselfOrIsRejected(Mutation.apply(mutations, m.canonicalBytes()));
  }

  /** A preamble claiming up to 2^20 chunks (or far more) over a few bytes costs nothing like the claim. */
  @Property
  void hugeClaimsAreRejectedWithoutAllocatingThem(
      @ForAll @LongRange(min = 1L << 30, max = 999_999_999_999_999_999L) long size,
      @ForAll @IntRange(min = 14, max = 24) int chunkShift, @ForAll @Size(max = 300) byte[] tail) {
    byte[] bytes = concat((Manifest.MAGIC + size + "\n" + (1 << chunkShift) + "\n" + "ab".repeat(32) + "\n")
        .getBytes(StandardCharsets.US_ASCII), tail);
    long before = Allocations.soFar();
    assertThrows(MalformedManifestException.class, () -> Manifest.parse(bytes));
    long allocated = Allocations.soFar() - before;
    assertTrue(allocated < 256 * 1024, "parsing " + bytes.length + " bytes allocated " + allocated);
  }

  private static void parsesToItselfOrIsRejected(byte[] bytes) {
    Manifest m;
    try {
      m = Manifest.parse(bytes);
    } catch (MalformedManifestException expected) {
      return;
    }
    assertArrayEquals(bytes, m.canonicalBytes(), "accepted bytes that are not the canonical form of what they parse to");
    assertEquals(bytes.length, m.canonicalLength());
  }

  @Provide
  static Arbitrary<Manifest> manifests() {
    Arbitrary<Integer> shift = Arbitraries.integers().between(14, 24);
    Arbitrary<Integer> count = Arbitraries.integers().between(0, 40);
    Arbitrary<Long> tail = Arbitraries.longs().between(0, Long.MAX_VALUE);
    return Combinators.combine(shift, count, tail).flatAs((s, n, t) -> {
      int chunkSize = 1 << s;
      long size = n == 0 ? 0 : (long) (n - 1) * chunkSize + 1 + t % chunkSize;
      return Combinators.combine(bytes(32), bytes(32 * n))
          .as((whole, hashes) -> Manifest.of(size, chunkSize, HexFormat.of().formatHex(whole), hashes));
    });
  }

  /**
   * The magic line, then lines made of digits, hex, signs and spaces (sometimes empty, sometimes
   * with leading zeros), then some bytes: close enough to a manifest to reach every check.
   */
  @Provide
  static Arbitrary<byte[]> preambles() {
    Arbitrary<String> line = Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
        Arbitraries.integers().between(0, 30).map(k -> String.valueOf(1L << k)),
        Arbitraries.strings().withChars("0123456789abcdefABCDEF+- \t\r").ofMaxLength(70),
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(64));
    Arbitrary<String> text = line.list().ofMinSize(0).ofMaxSize(4).map(ls -> String.join("\n", ls) + "\n");
    Arbitrary<Integer> hashes = Arbitraries.integers().between(0, 8).map(k -> 32 * k);
    Arbitrary<Integer> odd = Arbitraries.integers().between(0, 300);
    Arbitrary<byte[]> tail = Arbitraries.oneOf(hashes, odd).flatMap(ManifestProperties::bytes);
    return Combinators.combine(text, tail).as((t, b) -> concat(MAGIC, concat(t.getBytes(StandardCharsets.UTF_8), b)));
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }

  /** {@code n} random bytes, drawn from a seed: quicker than jqwik's byte-by-byte arrays, and no shrinking is lost that matters. */
  private static Arbitrary<byte[]> bytes(int n) {
    return Arbitraries.longs().map(seed -> {
      byte[] b = new byte[n];
      new Random(seed).nextBytes(b);
      return b;
    });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
