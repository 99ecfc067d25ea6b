package io.swarmshare.cli;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Makes text safe to print for a person: names, paths and anything a tracker or peer sent can
 * hold characters that a terminal obeys instead of showing (escape sequences, carriage returns)
 * or that change how the rest of the line looks (a right-to-left override makes
 * <code>report&#92;u202Eexe.pdf</code> read as {@code reportfdp.exe}; a zero-width space makes two names
 * look alike). Each such character is shown as an escape instead: <code>&#92;u202E</code>, <code>&#92;n</code>,
 * <code>&#92;U000E0001</code> beyond the first 65 536 code points; a backslash is shown as <code>&#92;&#92;</code>, so
 * every escape is unambiguous. Everything else, any script and emoji included, prints as it is.
 *
 * <p>Escaped: controls (Unicode category Cc, C0, DEL and C1), format characters (Cf: the bidi
 * embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F
 * and U+061C, zero-width space, joiners and U+FEFF, tags), line and paragraph separators
 * (Zl, Zp), unassigned code points, lone surrogates, and the fillers that render as nothing
 * (U+034F, U+115F, U+1160, U+3164, U+FFA0). JSON output ({@code --json}) is exact instead, its
 * own escaping covers controls.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every character that is not safe to show escaped; one line, always. */
  static String escape(String text) {
    return escape(text, false);
  }

  /**
   * As {@link #escape(String)}, but line feeds are kept: for messages this program composed of
   * several lines, where each embedded name was already escaped or cannot hold one.
   */
  static String escapeKeepingLines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepLines) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      @Nullable String escaped = cp == '\n' && keepLines ? null : escapeOf(cp);
      if (escaped != null && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (escaped != null) {
          b.append(escaped);
        } else {
          b.appendCodePoint(cp);
        }
      }
      i += n;
    }
    return b == null ? text : b.toString();
  }

  /** How {@code cp} is shown, or null if it is shown as itself. */
  private static @Nullable String escapeOf(int cp) {
    switch (cp) {
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    if (!unsafe(cp)) {
      return null;
    }
    return cp <= 0xFFFF ? String.format(Locale.ROOT, "\\u%04X", cp) : String.format(Locale.ROOT, "\\U%08X", cp);
  }

  /** True if a terminal could act on {@code cp} or show it as nothing, or as something else. */
  static boolean unsafe(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.UNASSIGNED, Character.SURROGATE -> true;
      default -> cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
    };
  }
}
