package io.swarmshare.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a peer says it is, sent in its {@code hello}. Over plain TCP the peer chooses it (random by
 * default) and it proves nothing: it tells connections apart, and what a downloader holds against
 * a peer attaches to the address it dialled instead. With TLS it is derived from the peer's
 * certificate ({@link #fromCertificate}), and a peer whose hello says anything else is refused.
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
   * The id of the holder of {@code certificate}, as Syncthing derives a device id: the SHA-256 of
   * the certificate's DER encoding, as 64 lower-case hex digits (what {@code openssl x509
   * -outform der | sha256sum} prints). Only the holder of the certificate's private key can
   * present it in a TLS handshake, so over TLS the id is proven, not claimed.
   *
   * @param certificate the peer's certificate
   * @return its id
   * @throws IllegalArgumentException if the certificate cannot be encoded
   */
  public static PeerId fromCertificate(Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return new PeerId(HexFormat.of().formatHex(digest));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode the certificate: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
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
