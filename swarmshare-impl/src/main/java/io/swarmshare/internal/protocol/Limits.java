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

  /** The documented defaults. */
  public static final Limits DEFAULTS = new Limits(
      DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_LENGTH,
      DEFAULT_MAX_ARRAY_ITEMS);
}
