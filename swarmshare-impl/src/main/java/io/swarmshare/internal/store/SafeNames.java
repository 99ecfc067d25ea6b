package io.swarmshare.internal.store;

import java.util.Locale;
import java.util.Set;

/**
 * Turns a name that came from the network into a plain file name that is safe on every
 * platform: no separators, no {@code ..}, no control characters, no Windows device names, no
 * leading dots or trailing dots and blanks, at most {@link #MAX_BYTES} UTF-8 bytes. The result is
 * only ever resolved against the directory the user chose, never used as a path.
 */
public final class SafeNames {
  /** Leaves room under the common 255-byte limit for the ".part" and ".resume" suffixes. */
  public static final int MAX_BYTES = 200;

  private static final Set<String> DEVICES = Set.of(
      "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
      "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  private SafeNames() {}

  /** A safe file name for {@code name}; {@code fallback} if nothing usable is left. */
  public static String sanitize(String name, String fallback) {
    // Keep only the last path element, whichever separator the sender used.
    String s = name;
    int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    if (cut >= 0) {
      s = s.substring(cut + 1);
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> b.appendCodePoint(isBad(cp) ? '_' : cp));
    s = b.toString();
    // No hidden files or "." / ".." from the network; no trailing dots or blanks (Windows drops them).
    s = s.replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
    String base = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
    if (DEVICES.contains(base.toUpperCase(Locale.ROOT))) {
      s = "_" + s;
    }
    s = truncateUtf8(s, MAX_BYTES);
    return s.isEmpty() ? fallback : s;
  }

  /** A character no file name from the network may hold: controls, format characters, lone surrogates, Windows' reserved. */
  private static boolean isBad(int cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)
        || "<>:\"|?*/\\".indexOf(cp) >= 0 || Character.getType(cp) == Character.FORMAT
        || Character.isSurrogate((char) Math.min(cp, 0xFFFF)) && cp <= 0xFFFF;
  }

  /**
   * Why {@code component} cannot be one element of a path in a directory tree from the network,
   * or null if it can. The rules are those {@link #sanitize} enforces, as a check instead of a
   * repair (a tree whose paths would need repair is refused as a whole), except that a leading
   * dot is allowed: trees hold {@code .gitattributes} and the like. {@code .} and {@code ..}
   * are not names.
   */
  public static @org.jspecify.annotations.Nullable String problem(String component) {
    if (component.isEmpty()) {
      return "an empty path element";
    }
    if (component.equals(".") || component.equals("..")) {
      return "a '" + component + "' path element";
    }
    if (component.codePoints().anyMatch(SafeNames::isBad)) {
      return "a control or reserved character (one of <>:\"|?*\\)";
    }
    if (component.matches("^\\s.*") || component.matches(".*[.\\s]$")) {
      return "a leading blank, or a trailing dot or blank";
    }
    String base = component.contains(".") ? component.substring(0, component.indexOf('.')) : component;
    if (DEVICES.contains(base.toUpperCase(Locale.ROOT))) {
      return "a Windows device name";
    }
    if (component.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "a path element longer than " + MAX_BYTES + " UTF-8 bytes";
    }
    return null;
  }

  private static String truncateUtf8(String s, int maxBytes) {
    if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + n > maxBytes) {
        break;
      }
      b.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return b.toString();
  }
}
