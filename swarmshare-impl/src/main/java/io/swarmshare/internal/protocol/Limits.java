package io.swarmshare.internal.protocol;

/**
 * Every limit of the wire protocol in one place, with the defaults {@code docs/PROTOCOL.md}
 * documents. A breach is answered with an {@code error} frame before anything is allocated.
 *
 * @param maxHeaderBytes largest JSON header, in bytes
 * @param maxBodyBytes largest body of any frame, in bytes (per-type limits are smaller)
 * @param maxDepth deepest JSON nesting of a header
 * @param maxStringLength longest JSON string in a header, in chars
 * @param maxArrayItems most elements in any JSON array of a header
 */
public record Limits(int maxHeaderBytes, int maxBodyBytes, int maxDepth, int maxStringLength, int maxArrayItems) {
  /** 64 KiB: room for 200 search results or peers with their fields. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
  /** The largest body: a manifest of 2^20 chunks (32 MiB of hashes plus its preamble). */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024 + 1024;
  /** Headers are flat objects with one level of arrays of objects: 3 levels is plenty, 8 is safe. */
  public static final int DEFAULT_MAX_DEPTH = 8;
  /** Names and messages are short; 4096 chars bounds a header's worst case. */
  public static final int DEFAULT_MAX_STRING_LENGTH = 4096;
  /** At most 1000 items in any header array. */
  public static final int DEFAULT_MAX_ARRAY_ITEMS = 1000;

  /** Longest name a file may be registered under, in chars. */
  public static final int MAX_NAME_LENGTH = 255;
  /** Longest search text, in chars. */
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
}
