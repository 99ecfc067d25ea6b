package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void jsonIdIsTheSha256OfCanonicalBytesBuiltByHand() throws Exception {
    byte[] data = new byte[2 * 1024 * 1024 + 12345];
    new Random(42).nextBytes(data);
    Path f = Files.write(dir.resolve("data.bin"), data);

    Run r = run("manifest", f.toString(), "--json");

    assertEquals(0, r.code(), r.err());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    String whole = HexFormat.of().formatHex(sha.digest(data));
    var canonical = new java.io.ByteArrayOutputStream();
    canonical.writeBytes(("swarmshare-manifest-v1\n" + data.length + "\n1048576\n" + whole + "\n").getBytes());
    for (int off = 0; off < data.length; off += 1 << 20) {
      sha.update(data, off, Math.min(1 << 20, data.length - off));
      canonical.writeBytes(sha.digest());
    }
    String expectedId = HexFormat.of().formatHex(sha.digest(canonical.toByteArray()));
    assertEquals(expectedId, field(r.out(), "id"));
    assertEquals(whole, field(r.out(), "sha256"));
    assertTrue(r.out().contains("\"size\":" + data.length), r.out());
    assertTrue(r.out().contains("\"chunkSize\":1048576"), r.out());
    assertTrue(r.out().contains("\"chunks\":3"), r.out());
    assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
  }

  @Test
  void textOutputNamesEveryField() throws Exception {
    Path f = Files.write(dir.resolve("x"), new byte[0]);
    Run r = run("manifest", f.toString());
    assertEquals(0, r.code());
    assertTrue(r.out().contains("c56fc42f0cf21ddfff4e886bbff0813d79c16f18493ec0033e53553527feea02"), r.out());
    for (String label : new String[] {"id:", "size:", "chunk size:", "chunks:", "sha256:"}) {
      assertTrue(r.out().contains(label), label + " in " + r.out());
    }
  }

  @Test
  void missingFileIsOneLineWithoutStackTraceAndExitCode1() {
    Run r = run("manifest", dir.resolve("missing.bin").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("swarmshare: no such file"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(r.err().contains("at java."), r.err());
  }

  @Test
  void badChunkSizeAndUnknownOptionAreUsageErrors() throws Exception {
    Path f = Files.write(dir.resolve("y"), new byte[10]);
    Run bad = run("manifest", f.toString(), "--chunk-size", "1000");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("power of two"), bad.err());
    Run unknown = run("manifest", "--bogus");
    assertEquals(2, unknown.code());
  }

  @Test
  void versionAndHelp() {
    Run v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("swarmshare "), v.out());
    Run h = run("--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("manifest"), h.out());
    assertTrue(h.out().contains("Exit codes"), h.out());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([0-9a-f]+)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }
}
