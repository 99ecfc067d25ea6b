package io.swarmshare.internal.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestBuilderTest {
  @TempDir Path dir;

  /** The pattern of docs/FILE-ID.md: byte i of the file is i mod 251. */
  static byte[] pattern(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  /** The canonical bytes of DESIGN.md built by hand, one sequential pass, no shared code. */
  static byte[] canonicalByHand(byte[] data, int chunkSize) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String preamble = "swarmshare-manifest-v1\n" + data.length + "\n" + chunkSize + "\n"
        + HexFormat.of().formatHex(sha.digest(data)) + "\n";
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    for (int off = 0; off < data.length; off += chunkSize) {
      sha.update(data, off, Math.min(chunkSize, data.length - off));
      out.writeBytes(sha.digest());
    }
    return out.toByteArray();
  }

  static String idByHand(byte[] data, int chunkSize) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalByHand(data, chunkSize)));
  }

  @Test
  void emptyFileMatchesTheDocumentedVector() throws Exception {
    Path f = Files.write(dir.resolve("empty"), new byte[0]);
    Manifest m = SwarmShare.manifest(f);
    assertEquals("c56fc42f0cf21ddfff4e886bbff0813d79c16f18493ec0033e53553527feea02", m.id().hex());
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", m.sha256());
    assertEquals(0, m.chunkCount());
  }

  @Test
  void threeMibPlusOneMatchesTheDocumentedVector() throws Exception {
    Path f = Files.write(dir.resolve("pattern"), pattern(3 * 1024 * 1024 + 1));
    Manifest m = SwarmShare.manifest(f);
    assertEquals("281d29fa7a81d1df226ad0f1a1ad1433556cc49b43cf694418c683939fc5afb3", m.id().hex());
    assertEquals("fc66cb381d8de4396b685896bfef3b1811ca920b052873bea5227a354fd64f37", m.sha256());
    assertEquals(4, m.chunkCount());
    assertEquals(1, m.chunkLength(3));
    Manifest small = SwarmShare.manifest(f, 256 * 1024, n -> {});
    assertEquals("a3b0cf91a3a4a1e7a59cf27efe638eb381c0c420a518d3cdeace59777c0afaa4", small.id().hex());
  }

  @ParameterizedTest(name = "{0} bytes in chunks of {1}")
  @CsvSource({
      "1, 16384", "16383, 16384", "16384, 16384", "16385, 16384", "1048576, 1048576",
      "1048577, 1048576", "5000000, 16384", "9437185, 4194304", "3000000, 16777216"})
  void matchesCanonicalBytesBuiltByHand(int size, int chunkSize) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Path f = Files.write(dir.resolve("f" + size), data);
    AtomicLong progress = new AtomicLong();
    Manifest m = SwarmShare.manifest(f, chunkSize, progress::addAndGet);
    assertEquals(idByHand(data, chunkSize), m.id().hex());
    assertEquals(size, progress.get(), "progress reports every byte once");
    assertEquals(new String(canonicalByHand(data, chunkSize), StandardCharsets.ISO_8859_1),
        new String(m.canonicalBytes(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void missingFileAndDirectoryGiveClearErrors() {
    var missing = assertThrows(StorageException.class, () -> SwarmShare.manifest(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    var directory = assertThrows(StorageException.class, () -> SwarmShare.manifest(dir));
    assertTrue(directory.getMessage().contains("directory"), directory.getMessage());
  }
}
