package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.testkit.fuzz.Allocations;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Manifest#parse} takes bytes from trackers, peers and files on disk. Whatever they are, it
 * returns a manifest or throws {@link MalformedManifestException}; what it accepts is exactly the
 * canonical form of what it returns; and a length it reads is never allocated before the bytes
 * are there. Each property runs {@link Fuzz#cases()} seeded cases (docs/TESTING.md).
 */
class ManifestPropertiesTest {
  private static final byte[] MAGIC = Manifest.MAGIC.getBytes(StandardCharsets.US_ASCII);

  @Test
  void everyManifestRoundTripsThroughItsCanonicalBytes() {
    Fuzz.check(c -> {
      Manifest m = c.draw("manifest", ManifestPropertiesTest::manifest);
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
    });
  }

  @Test
  void arbitraryBytesAreRejectedCleanlyOrAreCanonical() {
    Fuzz.check(c -> parsesToItselfOrIsRejected(c.draw("junk", r -> Gen.bytes(r, 120))));
  }

  @Test
  void arbitraryPreamblesAreRejectedCleanlyOrAreCanonical() {
    Fuzz.check(c -> parsesToItselfOrIsRejected(c.draw("bytes", ManifestPropertiesTest::preamble)));
  }

  @Test
  void mutatedManifestsAreRejectedCleanlyOrAreCanonical() {
    Fuzz.check(c -> {
      Manifest m = c.draw("manifest", ManifestPropertiesTest::manifest);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      parsesToItselfOrIsRejected(Mutation.apply(mutations, m.canonicalBytes()));
    });
  }

  /** A preamble claiming up to 2^20 chunks (or far more) over a few bytes costs nothing like the claim. */
  @Test
  void hugeClaimsAreRejectedWithoutAllocatingThem() {
    Fuzz.check(c -> {
      long size = c.draw("size", r -> Gen.longIn(r, 1L << 30, 999_999_999_999_999_999L));
      int chunkShift = c.draw("chunkShift", r -> Gen.intIn(r, 14, 24));
      byte[] tail = c.draw("tail", r -> Gen.bytes(r, 300));
      byte[] bytes = concat((Manifest.MAGIC + size + "\n" + (1 << chunkShift) + "\n" + "ab".repeat(32) + "\n")
          .getBytes(StandardCharsets.US_ASCII), tail);
      long before = Allocations.soFar();
      assertThrows(MalformedManifestException.class, () -> Manifest.parse(bytes));
      long allocated = Allocations.soFar() - before;
      assertTrue(allocated < 256 * 1024, "parsing " + bytes.length + " bytes allocated " + allocated);
    });
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

  /** A manifest of 0 to 40 chunks of 16 KiB to 16 MiB, its last chunk of any length. */
  static Manifest manifest(Random r) {
    int chunkSize = 1 << Gen.intIn(r, 14, 24);
    int n = Gen.intIn(r, 0, 40);
    long size = n == 0 ? 0 : (long) (n - 1) * chunkSize + 1 + Gen.longIn(r, 0, chunkSize - 1);
    return Manifest.of(size, chunkSize, HexFormat.of().formatHex(Gen.exactBytes(r, 32)), Gen.exactBytes(r, 32 * n));
  }

  /**
   * The magic line, then lines made of digits, hex, signs and spaces (sometimes empty, sometimes
   * with leading zeros), then some bytes: close enough to a manifest to reach every check.
   */
  static byte[] preamble(Random r) {
    List<String> lines = new ArrayList<>();
    for (int i = Gen.intIn(r, 0, 4); i > 0; i--) {
      lines.add(switch (r.nextInt(4)) {
        case 0 -> String.valueOf(Gen.longIn(r, 0, Long.MAX_VALUE));
        case 1 -> String.valueOf(1L << Gen.intIn(r, 0, 30));
        case 2 -> Gen.string(r, 70, "0123456789abcdefABCDEF+- \t\r");
        default -> HexFormat.of().formatHex(Gen.exactBytes(r, 32));
      });
    }
    byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = Gen.exactBytes(r, r.nextBoolean() ? 32 * Gen.intIn(r, 0, 8) : Gen.intIn(r, 0, 300));
    return concat(MAGIC, concat(text, tail));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
