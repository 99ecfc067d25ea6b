package io.swarmshare.internal.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileId;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.TreeEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tree manifest against docs/FILE-ID.md, "Trees": the vectors, the path rules and the limits. */
class TreeManifestTest {
  static final String PATTERN = "281d29fa7a81d1df226ad0f1a1ad1433556cc49b43cf694418c683939fc5afb3";
  static final String EMPTY = "c56fc42f0cf21ddfff4e886bbff0813d79c16f18493ec0033e53553527feea02";

  @TempDir Path dir;

  /** Vector 3 of FILE-ID.md, its bytes built by hand from the documented layout and hashed with the JDK. */
  @Test
  void documentedVectorHashesToTheDocumentedId() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("swarmshare-tree-v1\n".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes("3\n".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(("f 3145729 " + PATTERN + " data/pattern.bin\n").getBytes(StandardCharsets.UTF_8));
    b.writeBytes("d empty\n".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(("f 0 " + EMPTY + " notes.txt\n").getBytes(StandardCharsets.UTF_8));
    byte[] bytes = b.toByteArray();
    assertEquals(200, bytes.length);
    String byHand = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals("8282bd8da9637bfde09f8d1122c1a858c6203488ed507e4f433e6d174c1a4af5", byHand);

    TreeManifest built = TreeManifest.of(List.of(
        new TreeEntry("notes.txt", 0, new FileId(EMPTY)),
        new TreeEntry("empty", 0, null),
        new TreeEntry("data/pattern.bin", 3145729, new FileId(PATTERN))));
    assertArrayEquals(bytes, built.canonicalBytes(), "entries are sorted into canonical order");
    assertEquals(byHand, built.id().hex());
    assertEquals(built.entries(), TreeManifest.parse(bytes).entries());
  }

  @Test
  void emptyTreeVector() throws Exception {
    TreeManifest empty = TreeManifest.of(List.of());
    assertEquals("21b3dd073ba94a4af74394f1f09a30874fec1825856502cc2aeb78863b2c9f9e", empty.id().hex());
  }

  @Test
  void aDirectoryOnDiskGivesTheDocumentedId() throws Exception {
    Path root = dir.resolve("tree");
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(root.resolve("empty"));
    byte[] pattern = new byte[3 * 1024 * 1024 + 1];
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) (i % 251);
    }
    Files.write(root.resolve("data/pattern.bin"), pattern);
    Files.createFile(root.resolve("notes.txt"));
    TreeManifest tree = TreeShare.build(root, 1 << 20, n -> {}, (f, m) -> {});
    assertEquals("8282bd8da9637bfde09f8d1122c1a858c6203488ed507e4f433e6d174c1a4af5", tree.id().hex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../b", "./a", "/abs", "C:/x", "a//b", "a/", "CON", "con.txt", "dir/LPT1",
      "a\u0001b", "a\u007fb", "a\\b", "a:b", "trailing.", "trailing ", " leading", "a\u200eb"})
  void refusesUnsafePaths(String path) {
    var e = assertThrows(MalformedManifestException.class,
        () -> TreeManifest.of(List.of(new TreeEntry(path, 0, new FileId(EMPTY)))));
    assertTrue(e.getMessage().contains("unsafe path"), e.getMessage());
  }

  @Test
  void allowsHiddenFilesAndUnicode() throws Exception {
    TreeManifest t = TreeManifest.of(List.of(new TreeEntry(".gitattributes", 0, new FileId(EMPTY)),
        new TreeEntry("données/été.txt", 0, new FileId(EMPTY))));
    assertEquals(2, t.files());
  }

  @Test
  void refusesCaseAndNormalisationCollisions() {
    FileId id = new FileId(EMPTY);
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("README", 0, id), new TreeEntry("readme", 0, id))));
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("Dir/a", 0, id), new TreeEntry("dir/b", 0, id), new TreeEntry("dir", 0, id))));
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("caf\u00e9", 0, id), new TreeEntry("cafe\u0301", 0, id))));
    var e = assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("a", 0, id), new TreeEntry("A/x", 0, id))));
    assertTrue(e.getMessage().contains("lies inside it") || e.getMessage().contains("case"), e.getMessage());
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("d", 0, null), new TreeEntry("d/x", 0, id))), "an empty directory holds nothing");
  }

  @Test
  void refusesMalformedBytes() {
    String e1 = "f 0 " + EMPTY + " a\n";
    for (String bad : List.of("swarmshare-tree-v2\n1\n" + e1, "swarmshare-tree-v1\n2\n" + e1, "swarmshare-tree-v1\n01\n" + e1,
        "swarmshare-tree-v1\n1\n" + e1 + "x", "swarmshare-tree-v1\n2\n" + e1 + e1, "swarmshare-tree-v1\n1\nf 00 " + EMPTY + " a\n",
        "swarmshare-tree-v1\n1\nf 0 " + EMPTY.toUpperCase() + " a\n", "swarmshare-tree-v1\n1\nx a\n",
        "swarmshare-tree-v1\n999999999\n", "swarmshare-tree-v1\n2\nf 0 " + EMPTY + " b\nf 0 " + EMPTY + " a\n")) {
      assertThrows(MalformedManifestException.class, () -> TreeManifest.parse(bad.getBytes(StandardCharsets.UTF_8)),
          () -> "accepted: " + bad);
    }
    assertThrows(MalformedManifestException.class, () -> TreeManifest.parse(new byte[] {(byte) 0xff}));
    assertThrows(MalformedManifestException.class, () -> TreeManifest.parse(new byte[TreeManifest.MAX_BYTES + 1]));
  }

  @Test
  void refusesTooDeepAndTooLongPaths() {
    FileId id = new FileId(EMPTY);
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("a/".repeat(TreeManifest.MAX_DEPTH) + "x", 0, id))));
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("abcdefgh/".repeat(120) + "x", 0, id))));
    assertThrows(MalformedManifestException.class, () -> TreeManifest.of(List.of(
        new TreeEntry("x".repeat(201), 0, id))));
  }
}
