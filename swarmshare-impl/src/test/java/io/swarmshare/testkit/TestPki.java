package io.swarmshare.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway certificate authority for TLS tests: EC P-256 keys and X.509 v3 certificates made
 * in process (a few milliseconds each, where keytool would start a JVM per step), written as the
 * PKCS12 key and trust stores that {@code docs/SECURITY.md} makes with keytool. The DER encoder
 * below knows only what a certificate needs.
 */
public final class TestPki {
  /** The password of every store this class writes. */
  public static final String PASSWORD = "test-secret";
  private static final String EC_SHA256 = "1.2.840.10045.4.3.2";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String caName;
  private final KeyPair caKeys;
  private final X509Certificate caCert;

  /** A new CA named {@code CN=caName}, writing its stores under {@code dir}. */
  public TestPki(Path dir, String caName) {
    this.dir = dir;
    this.caName = caName;
    this.caKeys = keyPair();
    Instant now = Instant.now();
    this.caCert = certificate(caName, caName, caKeys.getPublic().getEncoded(), caKeys.getPrivate(),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true);
  }

  /** A trust store holding this CA's certificate. */
  public Path trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("swarm-ca", caCert);
      return store(ks, "trust-" + caName + ".p12");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key store with a fresh key for {@code CN=name}, signed by this CA, valid from yesterday for 30 days. */
  public Path keyStore(String name) {
    Instant now = Instant.now();
    return keyStore(name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  /** A key store for {@code CN=name} whose certificate expired yesterday. */
  public Path expiredKeyStore(String name) {
    Instant now = Instant.now();
    return keyStore(name, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
  }

  /** A key store for {@code CN=name} valid from {@code notBefore} to {@code notAfter}. */
  public Path keyStore(String name, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    X509Certificate cert = certificate(name, caName, keys.getPublic().getEncoded(), caKeys.getPrivate(),
        notBefore, notAfter, false);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("node", keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert, caCert});
      return store(ks, "node-" + name + "-" + notAfter.getEpochSecond() + ".p12");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file holding {@link #PASSWORD} and a line break, as {@code --tls-password-file} reads it. */
  public Path passwordFile() {
    try {
      return Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path store(KeyStore ks, String name) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    return file;
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(String subject, String issuer, byte[] subjectPublicKeyInfo,
      PrivateKey signer, Instant notBefore, Instant notAfter, boolean ca) {
    byte[] algorithm = seq(oid(EC_SHA256));
    ByteArrayOutputStream tbs = new ByteArrayOutputStream();
    tbs.writeBytes(tlv(0xA0, integer(BigInteger.TWO))); // version 3
    tbs.writeBytes(integer(BigInteger.valueOf(SERIAL.incrementAndGet())));
    tbs.writeBytes(algorithm);
    tbs.writeBytes(name(issuer));
    tbs.writeBytes(seq(time(notBefore), time(notAfter)));
    tbs.writeBytes(name(subject));
    tbs.writeBytes(subjectPublicKeyInfo);
    if (ca) {
      // basicConstraints, critical, cA = true
      byte[] basicConstraints = seq(oid("2.5.29.19"), tlv(0x01, new byte[] {(byte) 0xFF}),
          tlv(0x04, seq(tlv(0x01, new byte[] {(byte) 0xFF}))));
      tbs.writeBytes(tlv(0xA3, seq(basicConstraints)));
    }
    byte[] tbsBytes = tlv(0x30, tbs.toByteArray());
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(signer);
      s.update(tbsBytes);
      byte[] signature = s.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      byte[] der = seq(tbsBytes, algorithm, tlv(0x03, bits));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] name(String cn) {
    // Most significant first: printed (RFC 2253) as CN=cn,O=SwarmShare tests.
    return seq(tlv(0x31, seq(oid("2.5.4.10"), tlv(0x0C, "SwarmShare tests".getBytes(StandardCharsets.UTF_8)))),
        tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0C, cn.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(Instant t) {
    // UTCTime covers 1950 to 2049, enough for test certificates.
    String s = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
    return tlv(0x17, s.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger v) {
    return tlv(0x02, v.toByteArray());
  }

  private static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long v = Long.parseLong(parts[i]);
      int groups = 1;
      for (long x = v >>> 7; x > 0; x >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) ((v >>> (7 * g)) & 0x7F);
        out.write(g == 0 ? b : b | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n & 0xFF);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
