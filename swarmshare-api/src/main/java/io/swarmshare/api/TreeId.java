package io.swarmshare.api;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The name of a directory tree in a swarm: the SHA-256 of its tree manifest's canonical bytes
 * (a sorted listing of relative paths, sizes and {@link FileId}s; see {@code docs/FILE-ID.md}),
 * as 64 lower-case hex digits. Like a file's id it is self-certifying: a listing that does not
 * hash to the id asked for is never trusted.
 *
 * @param hex 64 lower-case hexadecimal digits
 */
public record TreeId(String hex) {
  /** Checks that {@code hex} is exactly 64 lower-case hex digits. */
  public TreeId {
    Objects.requireNonNull(hex, "hex");
    if (!FileId.isValid(hex)) {
      throw new IllegalArgumentException("a tree id is 64 lower-case hex digits, got "
          + (hex.length() <= 80 ? '"' + hex + '"' : hex.length() + " characters"));
    }
  }

  /**
   * Parses text a user typed: surrounding blanks are ignored and upper case is accepted.
   *
   * @param text 64 hex digits in either case
   * @return the id
   * @throws IllegalArgumentException if it is not 64 hex digits
   */
  public static TreeId parse(String text) {
    return new TreeId(text.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * Wraps the 32 raw bytes of a SHA-256 digest.
   *
   * @param sha256 the digest of a tree manifest's canonical bytes
   * @return the id
   * @throws IllegalArgumentException if there are not exactly 32 bytes
   */
  public static TreeId of(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a tree id is 32 bytes, got " + sha256.length);
    }
    return new TreeId(HexFormat.of().formatHex(sha256));
  }

  /** {@return the first 12 hex digits, enough to tell trees apart on a screen} */
  public String shortForm() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
