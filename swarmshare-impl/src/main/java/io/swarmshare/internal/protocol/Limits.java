package io.swarmshare.internal.protocol;

/**
 * Every limit of the wire protocol in one place, with the defaults {@code docs/PROTOCOL.md}
 * documents. A breach is answered with an {@code error} frame before anything is allocated.
 *
 * @param maxHeaderBytes largest JSON header, in bytes
 * @param maxBodyBytes largest body of any frame, in bytes (per-type limits are smaller)
 * @param maxDepth deepest JSON nesting of a header: the header object is level 1, and every
 *     array or object inside it one level deeper than what holds it
 * @param maxStringLength longest JSON string in a header, in {@linkplain #characters characters}
 * @param maxArrayItems most elements in any JSON array of a header
 *
 * <p>Every limit of the protocol given in characters counts Unicode code points (what
 * {@link #characters} returns), never UTF-16 code units or bytes, so a client in any language
 * counts the same: an emoji is one character.
 */
public record Limits(int maxHeaderBytes, int maxBodyBytes, int maxDepth, int maxStringLength, int maxArrayItems) {
  /** 64 KiB: room for 200 search results or peers with their fields. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
  /** The largest body: a manifest of 2^20 chunks (32 MiB of hashes plus its preamble). */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024 + 1024;
  /** Headers are flat objects with one level of arrays of objects: 3 levels is plenty, 8 is safe. */
  public static final int DEFAULT_MAX_DEPTH = 8;
  /** Names and messages are short; 4096 characters bounds a header's worst case. */
  public static final int DEFAULT_MAX_STRING_LENGTH = 4096;
  /** At most 1000 items in any header array. */
  public static final int DEFAULT_MAX_ARRAY_ITEMS = 1000;
  /** Longest field name in a header, in characters. */
  public static final int MAX_FIELD_NAME_LENGTH = 256;
  /**
   * Longest number in a header, in characters as written (sign, digits, point and exponent):
   * {@code -9223372036854775808} just fits.
   */
  public static final int MAX_NUMBER_LENGTH = 20;

  /** Longest name a file may be registered under, in characters. */
  public static final int MAX_NAME_LENGTH = 255;
  /** Longest search text, in characters. */
  public static final int MAX_SEARCH_TEXT_LENGTH = 255;
  /**
   * Most peers in one {@code peer_list}: 100 entries of at most ~400 bytes fit a 64 KiB header,
   * and 100 bitfields of a maximal file make a 12.5 MiB body.
   */
  public static final int MAX_PEERS_PER_REPLY = 100;
  /** Most results in one {@code search_results}: 50 entries of at most ~900 bytes fit a 64 KiB header. */
  public static final int MAX_RESULTS_PER_REPLY = 50;
  /** Request ids are whole numbers from 0 to 2^53-1, so every JSON implementation can hold them. */
  public static final long MAX_REQUEST_ID = (1L << 53) - 1;

  /** The documented defaults. */
  public static final Limits DEFAULTS = new Limits(
      DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_LENGTH,
      DEFAULT_MAX_ARRAY_ITEMS);

  /**
   * The length of {@code s} as every limit of the protocol counts it: Unicode code points, so a
   * surrogate pair is one character (an unpaired surrogate counts as one too; the reader refuses
   * those before any limit is checked).
   */
  public static int characters(CharSequence s) {
    return Character.codePointCount(s, 0, s.length());
  }

  /**
   * {@code s} if it has at most {@code max} characters, else its first {@code max - 3}
   * characters and "...": cut between code points, so no half of a surrogate pair is ever sent.
   */
  public static String abbreviate(String s, int max) {
    return characters(s) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 3)) + "...";
  }
}
