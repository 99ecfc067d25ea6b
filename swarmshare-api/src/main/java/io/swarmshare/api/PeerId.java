package io.swarmshare.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a peer says it is, chosen by the peer (random by default) and sent in its {@code hello}.
 * It tells connections of one peer apart; it proves nothing unless TLS authenticates it.
 *
 * @param value 1 to 64 characters from {@code [A-Za-z0-9._:-]}
 */
public record PeerId(String value) {
  /** The longest id accepted, in characters. */
  public static final int MAX_LENGTH = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Checks length and characters, so an id is always safe to log and to compare. */
  public PeerId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException("a peer id is 1 to 64 characters from [A-Za-z0-9._:-]");
    }
  }

  /** {@return a fresh random id: 16 random bytes as 32 hex digits} */
  public static PeerId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new PeerId(HexFormat.of().formatHex(bytes));
  }

  /**
   * Checks text without throwing.
   *
   * @param text any text
   * @return true if {@code text} would make a valid id
   */

  public static boolean isValid(String text) {
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value;
  }
}
