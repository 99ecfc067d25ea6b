package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ManifestParseTest {
  private static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static byte[] canonical(String preamble, int hashBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[hashBytes]);
    return out.toByteArray();
  }

  @Test
  void roundTripsThroughCanonicalBytes() throws Exception {
    byte[] hashes = new byte[3 * 32];
    Arrays.fill(hashes, (byte) 7);
    Manifest m = Manifest.of(2 * 1024 * 1024 + 5, 1024 * 1024, EMPTY_SHA, hashes);
    Manifest back = Manifest.parse(m.canonicalBytes());
    assertEquals(m.id(), back.id());
    assertEquals(3, back.chunkCount());
    assertEquals(5, back.chunkLength(2));
    assertArrayEquals(m.canonicalBytes(), back.canonicalBytes());
  }

  @Test
  void rejectsTruncatedBytes() throws Exception {
    byte[] good = Manifest.of(100_000, 16384, EMPTY_SHA, new byte[7 * 32]).canonicalBytes();
    for (int cut = 0; cut < good.length; cut += 13) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(MalformedManifestException.class, () -> Manifest.parse(truncated), "cut at " + cut);
    }
  }

  @Test
  void rejectsSizesThatOverflow() {
    var e = assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n99999999999999999999999\n1048576\n" + EMPTY_SHA + "\n", 0)));
    assertTrue(e.getMessage().contains("size"), e.getMessage());
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n9223372036854775807\n1048576\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n100\n4294967296\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n-1\n1048576\n" + EMPTY_SHA + "\n", 0)));
  }

  @Test
  void rejectsAChunkCountThatDoesNotMatchTheSize() {
    // 3 MiB in 1 MiB chunks is 3 chunks; offer 2 and 4.
    String pre = "swarmshare-manifest-v1\n3145728\n1048576\n" + EMPTY_SHA + "\n";
    assertThrows(MalformedManifestException.class, () -> Manifest.parse(canonical(pre, 2 * 32)));
    assertThrows(MalformedManifestException.class, () -> Manifest.parse(canonical(pre, 4 * 32)));
    assertThrows(MalformedManifestException.class, () -> Manifest.parse(canonical(pre, 3 * 32 + 1)));
  }

  @Test
  void rejectsTwoToTheFortyChunksWithoutAllocatingForThem() {
    // 2^40 chunks of 16 KiB: the claim alone is refused; nothing near 32 TiB is allocated.
    long size = (1L << 40) * 16384;
    var e = assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n" + size + "\n16384\n" + EMPTY_SHA + "\n", 64)));
    assertTrue(e.getMessage().contains("chunks"), e.getMessage());
  }

  @Test
  void rejectsBadChunkSizesLeadingZerosAndBadMagic() {
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n0\n1000\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n0\n8192\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n00\n1048576\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v2\n0\n1048576\n" + EMPTY_SHA + "\n", 0)));
    assertThrows(MalformedManifestException.class,
        () -> Manifest.parse(canonical("swarmshare-manifest-v1\n0\n1048576\n" + EMPTY_SHA.toUpperCase() + "\n", 0)));
  }

  @Test
  void acceptsTheEmptyFile() throws Exception {
    Manifest m = Manifest.parse(canonical("swarmshare-manifest-v1\n0\n1048576\n" + EMPTY_SHA + "\n", 0));
    assertEquals(0, m.chunkCount());
    assertEquals(0, m.size());
  }

  @Test
  void canonicalLengthMatchesTheBytes() {
    Manifest m = Manifest.of(5_000_000, 65536, EMPTY_SHA, new byte[77 * 32]);
    assertEquals(m.canonicalBytes().length, Manifest.canonicalLength(5_000_000, 65536));
  }
}
