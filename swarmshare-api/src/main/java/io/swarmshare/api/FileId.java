package io.swarmshare.api;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The name of a file in a swarm: the SHA-256 of its {@link Manifest}'s canonical bytes, as 64
 * lower-case hex digits. Because the name is a hash of everything that describes the content,
 * nobody can hand out different bytes under the same id.
 *
 * @param hex 64 lower-case hexadecimal digits
 */
public record FileId(String hex) {
  private static final HexFormat HEX = HexFormat.of();

  /** Checks that {@code hex} is exactly 64 lower-case hex digits. */
  public FileId {
    Objects.requireNonNull(hex, "hex");
    if (!isValid(hex)) {
      throw new IllegalArgumentException("a file id is 64 lower-case hex digits, got: " + abbreviate(hex));
    }
  }

  /**
   * Parses text a user typed or a peer sent: surrounding blanks are ignored and upper case is
   * accepted.
   *
   * @param text 64 hex digits in either case, blanks around them allowed
   * @return the id
   * @throws IllegalArgumentException if it is not 64 hex digits
   */
  public static FileId parse(String text) {
    return new FileId(text.strip().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Wraps the 32 raw bytes of a SHA-256 digest.
   *
   * @param sha256 the digest of a manifest's canonical bytes
   * @return the id
   * @throws IllegalArgumentException if there are not exactly 32 bytes
   */
  public static FileId of(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a file id is 32 bytes, got " + sha256.length);
    }
    return new FileId(HEX.formatHex(sha256));
  }

  /**
   * Checks text without throwing.
   *
   * @param text any text
   * @return true if {@code text} is a well-formed id (64 lower-case hex digits)
   */
  public static boolean isValid(String text) {
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** {@return the 32 raw bytes of the id, a fresh copy each call} */
  public byte[] bytes() {
    return HEX.parseHex(hex);
  }

  /** {@return the first 12 hex digits, enough to tell files apart on a screen} */

  public String shortForm() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 77) + "...\" (" + s.length() + " chars)";
  }
}
