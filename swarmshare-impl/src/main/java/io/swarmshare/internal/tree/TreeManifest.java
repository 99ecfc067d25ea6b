package io.swarmshare.internal.tree;

import io.swarmshare.api.FileId;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.TreeEntry;
import io.swarmshare.api.TreeId;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.store.SafeNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The canonical listing of a directory tree, whose SHA-256 is the tree's id (normative layout
 * and rules in {@code docs/FILE-ID.md}, "Trees"):
 *
 * <pre>
 * "swarmshare-tree-v1\n"
 * COUNT "\n"
 * per entry, in the unsigned byte order of the paths' UTF-8:
 *   "f " SIZE " " FILEID " " PATH "\n"     a regular file
 *   "d " PATH "\n"                         a directory that holds no entry
 * </pre>
 *
 * <p>Paths are never trusted: {@link #parse} and {@link #of} refuse the whole tree if any path
 * is absolute, holds {@code .} or {@code ..}, a control or reserved character, a Windows device
 * name, if two paths are equal but for case (or Unicode normalisation), if a file is also the
 * parent of another entry, or if a limit is broken. Immutable.
 */
public final class TreeManifest {
  /** The version tag, the first bytes of every canonical form. */
  static final String TAG = "swarmshare-tree-v1\n";
  /** Most entries in a tree. */
  public static final int MAX_ENTRIES = 100_000;
  /** Longest path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 1024;
  /** Most elements in a path. */
  public static final int MAX_DEPTH = 32;
  /** Longest canonical form: a receiver refuses a longer listing before fetching it. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private final List<TreeEntry> entries;
  private final byte[] canonical;
  private final TreeId id;

  private TreeManifest(List<TreeEntry> entries, byte[] canonical) {
    this.entries = List.copyOf(entries);
    this.canonical = canonical;
    this.id = TreeId.of(ManifestBuilder.sha256().digest(canonical));
  }

  /**
   * The tree of {@code entries}, in any order; they are sorted into canonical order.
   *
   * @throws MalformedManifestException if a path breaks the rules or a limit is exceeded
   */
  public static TreeManifest of(List<TreeEntry> entries) throws MalformedManifestException {
    List<TreeEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(e -> e.path().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(TAG.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes((sorted.size() + "\n").getBytes(StandardCharsets.US_ASCII));
    for (TreeEntry e : sorted) {
      FileId file = e.file();
      String line = file == null ? "d " + e.path() + "\n" : "f " + e.size() + " " + file.hex() + " " + e.path() + "\n";
      out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
    }
    // One validator for both directions: what we would refuse to receive, we refuse to send.
    return parse(out.toByteArray());
  }

  /**
   * Parses and checks canonical bytes received from others. Costs no more memory than a small
   * multiple of their length, which is capped at {@link #MAX_BYTES}.
   *
   * @throws MalformedManifestException saying what is wrong; the tree is refused as a whole
   */
  public static TreeManifest parse(byte[] bytes) throws MalformedManifestException {
    if (bytes.length > MAX_BYTES) {
      throw new MalformedManifestException("a tree manifest is at most " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedManifestException("a tree manifest is UTF-8 text; this one is not");
    }
    if (!text.startsWith(TAG)) {
      throw new MalformedManifestException("a tree manifest starts with 'swarmshare-tree-v1' and a newline");
    }
    int pos = TAG.length();
    int nl = text.indexOf('\n', pos);
    if (nl < 0) {
      throw new MalformedManifestException("the entry count has no newline");
    }
    long count = decimal(text.substring(pos, nl), "the entry count");
    if (count > MAX_ENTRIES) {
      throw new MalformedManifestException("a tree holds at most " + MAX_ENTRIES + " entries, this one says " + count);
    }
    pos = nl + 1;
    List<TreeEntry> entries = new ArrayList<>((int) count);
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      nl = text.indexOf('\n', pos);
      if (nl < 0) {
        throw new MalformedManifestException("entry " + (i + 1) + " of " + count + " is missing or has no newline");
      }
      String line = text.substring(pos, nl);
      pos = nl + 1;
      TreeEntry e = entry(line, i + 1);
      byte[] pathBytes = e.path().getBytes(StandardCharsets.UTF_8);
      if (previous != null && Arrays.compareUnsigned(previous, pathBytes) >= 0) {
        throw new MalformedManifestException("entry " + (i + 1) + " (" + quote(e.path())
            + ") is out of order or repeated; paths are sorted by their UTF-8 bytes");
      }
      previous = pathBytes;
      entries.add(e);
    }
    if (pos != text.length()) {
      throw new MalformedManifestException("bytes follow the last of " + count + " entries");
    }
    checkCollisions(entries);
    return new TreeManifest(entries, bytes.clone());
  }

  private static TreeEntry entry(String line, int n) throws MalformedManifestException {
    if (line.startsWith("d ")) {
      return new TreeEntry(checkPath(line.substring(2), n), 0, null);
    }
    if (!line.startsWith("f ")) {
      throw new MalformedManifestException("entry " + n + " starts with neither 'f ' nor 'd '");
    }
    int a = line.indexOf(' ', 2);
    if (a < 0 || line.length() < a + 1 + 64 + 2 || line.charAt(a + 65) != ' ') {
      throw new MalformedManifestException("entry " + n + " is not 'f SIZE FILEID PATH'");
    }
    long size = decimal(line.substring(2, a), "the size of entry " + n);
    String hex = line.substring(a + 1, a + 65);
    if (!FileId.isValid(hex)) {
      throw new MalformedManifestException("the file id of entry " + n + " is not 64 lower-case hex digits");
    }
    return new TreeEntry(checkPath(line.substring(a + 66), n), size, new FileId(hex));
  }

  private static long decimal(String s, String what) throws MalformedManifestException {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')
        || s.length() > 1 && s.charAt(0) == '0') {
      throw new MalformedManifestException(what + " must be 1 to 18 decimal digits without a leading zero");
    }
    return Long.parseLong(s);
  }

  /** The path if it is a safe relative path; refuses it otherwise, naming the rule. */
  static String checkPath(String path, int n) throws MalformedManifestException {
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new MalformedManifestException("path of entry " + n + " is longer than " + MAX_PATH_BYTES + " UTF-8 bytes");
    }
    if (path.startsWith("/") || path.length() >= 2 && path.charAt(1) == ':') {
      throw new MalformedManifestException("unsafe path " + quote(path) + ": an absolute path");
    }
    String[] parts = path.split("/", -1);
    if (parts.length > MAX_DEPTH) {
      throw new MalformedManifestException("unsafe path " + quote(path) + ": deeper than " + MAX_DEPTH + " elements");
    }
    for (String part : parts) {
      String problem = SafeNames.problem(part);
      if (problem != null) {
        throw new MalformedManifestException("unsafe path " + quote(path) + ": " + problem);
      }
    }
    return path;
  }

  /**
   * Refuses two paths that one file system could confuse: equal after case folding and Unicode
   * normalisation, or a file (or empty directory) that another entry's path runs through. Sorts
   * folded keys with '/' as the lowest character, so each conflict is between neighbours: no map
   * of every ancestor directory, whose size a deep hostile tree could blow up.
   */
  private static void checkCollisions(List<TreeEntry> entries) throws MalformedManifestException {
    String[] keys = new String[entries.size()];
    Integer[] order = new Integer[entries.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = fold(entries.get(i).path()).replace('/', '\0');
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> keys[i]));
    for (int k = 0; k + 1 < order.length; k++) {
      String a = keys[order[k]];
      String b = keys[order[k + 1]];
      String pa = entries.get(order[k]).path();
      String pb = entries.get(order[k + 1]).path();
      if (a.equals(b)) {
        throw new MalformedManifestException("paths " + quote(pa) + " and " + quote(pb)
            + " differ only in case or Unicode form; one file system would hold only one of them");
      }
      if (b.startsWith(a + '\0')) {
        throw new MalformedManifestException("entry " + quote(pa) + " is a file or an empty directory, yet "
            + quote(pb) + " lies inside it");
      }
    }
  }

  private static String fold(String path) {
    return Normalizer.normalize(path, Normalizer.Form.NFC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }

  private static String quote(String path) {
    StringBuilder b = new StringBuilder("'");
    path.codePoints().limit(120).forEach(cp -> {
      if (cp < 0x20 || cp == 0x7F || cp >= 0x80 && cp < 0xA0) {
        b.append(String.format(Locale.ROOT, "\\x%02x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.append(path.codePointCount(0, path.length()) > 120 ? "...'" : "'").toString();
  }

  /** {@return the entries in canonical order} */
  public List<TreeEntry> entries() {
    return entries;
  }

  /** {@return the canonical bytes, a fresh copy} */
  public byte[] canonicalBytes() {
    return canonical.clone();
  }

  /** {@return the tree's id: the SHA-256 of the canonical bytes} */
  public TreeId id() {
    return id;
  }

  /** {@return the sum of the file sizes} */
  public long size() {
    return entries.stream().mapToLong(TreeEntry::size).sum();
  }

  /** {@return how many files (not empty directories) the tree holds} */
  public int files() {
    return (int) entries.stream().filter(e -> !e.isDirectory()).count();
  }
}
