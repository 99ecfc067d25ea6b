package io.swarmshare.internal.protocol;

/**
 * Checks that a frame header's bytes are Unicode text before they are parsed as JSON: strict
 * UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF, no
 * sequence cut short) and no string escape of an unpaired surrogate (<code>&#92;ud800</code> alone).
 * jackson-core lets some of those through and reports others as bad JSON, so the reader checks
 * them itself, the same way in string values and field names.
 */
final class HeaderText {
  private HeaderText() {}

  /**
   * The offset of the first byte of {@code bytes[0, length)} that does not begin a well-formed
   * UTF-8 sequence, or of the first NUL byte (valid UTF-8, but never part of JSON text); -1 if
   * there is neither.
   */
  static int firstInvalid(byte[] bytes, int length) {
    int i = 0;
    while (i < length) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b == 0) {
          return i;
        }
        i++;
        continue;
      }
      int more;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        if (b == 0xE0) {
          low = 0xA0; // below is overlong
        } else if (b == 0xED) {
          high = 0x9F; // above is a surrogate, U+D800 to U+DFFF
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        if (b == 0xF0) {
          low = 0x90; // below is overlong
        } else if (b == 0xF4) {
          high = 0x8F; // above is past U+10FFFF
        }
      } else {
        return i; // a continuation byte without a start, C0/C1 (overlong), or F5 to FF
      }
      if (i + more >= length) {
        return i;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i;
      }
      for (int k = 2; k <= more; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += more + 1;
    }
    return -1;
  }

  /**
   * The offset of the first <code>&#92;u</code> escape inside a JSON string of {@code bytes[0, length)}
   * that encodes an unpaired surrogate: a high surrogate (D800 to DBFF) not followed at once by
   * an escaped low one (DC00 to DFFF), or a low one on its own; -1 if there is none. Strings are
   * found as JSON delimits them; in bytes that are no JSON the parser reports the fault.
   */
  static int firstUnpairedSurrogate(byte[] bytes, int length) {
    boolean inString = false;
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (!inString || b == '"') {
        inString = b == '"' ? !inString : inString;
        continue;
      }
      if (b != '\\' || i + 1 >= length) {
        continue;
      }
      if (bytes[i + 1] != 'u') {
        i++; // a one-letter escape such as \" or \\
        continue;
      }
      int unit = hex4(bytes, i + 2, length);
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        boolean escapeFollows = i + 7 < length && bytes[i + 6] == '\\' && bytes[i + 7] == 'u';
        int next = escapeFollows ? hex4(bytes, i + 8, length) : -1;
        if (next < 0xDC00 || next > 0xDFFF) {
          return i;
        }
        i += 11;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        return i;
      } else {
        i += unit < 0 ? 1 : 5;
      }
    }
    return -1;
  }

  /** The value of the four hex digits at {@code at}, or -1 if there are not four there. */
  private static int hex4(byte[] bytes, int at, int length) {
    if (at + 4 > length) {
      return -1;
    }
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int digit = Character.digit(bytes[k], 16);
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }
}
