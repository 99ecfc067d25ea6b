package io.swarmshare;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.transport.TlsStores;
import io.swarmshare.internal.transport.TlsTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS 1.3 for a tracker or a client: this node's private key and certificate (a PKCS12 key
 * store) and the CA certificates of the swarm it trusts (a PKCS12 trust store), both under one
 * password. Give it to {@link TrackerBuilder#tls} and {@link ClientBuilder#tls}; without it they
 * speak plain TCP.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.fromEnvironment(Path.of("node.p12"), Path.of("swarm-trust.p12"));
 * try (SwarmClient client = SwarmShare.client().tracker("tracker.example:8888").tls(tls).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Both sides of every connection present a certificate and check the other's against their
 * trust store: only members of the swarm (holders of a certificate signed by one of its CAs)
 * can connect, and the traffic is encrypted. Host names are not checked; see
 * {@code docs/SECURITY.md} for the threat model. The password is taken from an environment
 * variable, a file, or code, never from a command line, and is not kept once the stores are read.
 *
 * <p>Immutable and thread-safe; one configuration may serve any number of trackers and clients.
 */
public final class TlsConfig {
  /** The environment variable {@link #fromEnvironment} reads the store password from. */
  public static final String PASSWORD_ENV = "SWARMSHARE_TLS_PASSWORD";
  /** How long a TLS handshake may take unless told otherwise. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final SSLContext context;
  private final X509Certificate certificate;
  private final Path keyStore;
  private final Path trustStore;
  private final Duration handshakeTimeout;

  private TlsConfig(SSLContext context, X509Certificate certificate, Path keyStore, Path trustStore,
      Duration handshakeTimeout) {
    this.context = context;
    this.certificate = certificate;
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.handshakeTimeout = handshakeTimeout;
  }

  /**
   * Reads both stores with {@code password}. The array is not kept; the caller may clear it.
   *
   * @param keyStore a PKCS12 file holding this node's key and certificate
   * @param trustStore a PKCS12 file holding the certificates the swarm trusts
   * @param password the password of both stores
   * @return the configuration
   * @throws SwarmException if a store is missing or unreadable, the password is wrong, the key store
   *     does not hold exactly one key, the trust store holds no certificate, or this node's
   *     certificate has expired or is not yet valid; the message says which and what to do
   */
  public static TlsConfig fromKeyStores(Path keyStore, Path trustStore, char[] password) throws SwarmException {
    return load(keyStore, trustStore, password, "the caller");
  }

  /**
   * Reads both stores with the password in the environment variable {@value #PASSWORD_ENV}.
   *
   * @param keyStore a PKCS12 file holding this node's key and certificate
   * @param trustStore a PKCS12 file holding the certificates the swarm trusts
   * @return the configuration
   * @throws SwarmException if the variable is not set, or as {@link #fromKeyStores}
   */
  public static TlsConfig fromEnvironment(Path keyStore, Path trustStore) throws SwarmException {
    String value = System.getenv(PASSWORD_ENV);
    if (value == null || value.isEmpty()) {
      throw new SwarmException("no password for " + keyStore + ": set $" + PASSWORD_ENV
          + " to it, or give a file holding it (CLI: --tls-password-file)");
    }
    return loadAndClear(keyStore, trustStore, value.toCharArray(), "$" + PASSWORD_ENV);
  }

  /**
   * Reads both stores with the password on the first line of {@code passwordFile} (a trailing
   * line break is not part of it). Keep that file readable by its owner only.
   *
   * @param keyStore a PKCS12 file holding this node's key and certificate
   * @param trustStore a PKCS12 file holding the certificates the swarm trusts
   * @param passwordFile a file whose first line is the password of both stores
   * @return the configuration
   * @throws SwarmException if the file cannot be read or is empty, or as {@link #fromKeyStores}
   */
  public static TlsConfig fromPasswordFile(Path keyStore, Path trustStore, Path passwordFile) throws SwarmException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(passwordFile);
    } catch (NoSuchFileException e) {
      throw new SwarmException("password file " + passwordFile + " not found", e);
    } catch (IOException e) {
      throw new SwarmException("cannot read password file " + passwordFile + ": " + e.getMessage(), e);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    Arrays.fill(bytes, (byte) 0);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      throw new SwarmException("password file " + passwordFile + " is empty; its first line should be the store password");
    }
    return loadAndClear(keyStore, trustStore, line.toCharArray(), "file " + passwordFile);
  }

  private static TlsConfig loadAndClear(Path keyStore, Path trustStore, char[] password, String source)
      throws SwarmException {
    try {
      return load(keyStore, trustStore, password, source);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static TlsConfig load(Path keyStore, Path trustStore, char[] password, String source) throws SwarmException {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(trustStore, "trustStore");
    TlsStores.Loaded loaded = TlsStores.load(keyStore, trustStore, password, source, Instant.now());
    return new TlsConfig(loaded.context(), loaded.certificate(), keyStore, trustStore, DEFAULT_HANDSHAKE_TIMEOUT);
  }

  /**
   * The same configuration with another limit on how long a TLS handshake may take (default 10
   * s); a connection whose handshake is not done by then is closed.
   *
   * @param timeout the longest a handshake may take; positive
   * @return a new configuration; this one is unchanged
   */
  public TlsConfig withHandshakeTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
    }
    return new TlsConfig(context, certificate, keyStore, trustStore, timeout);
  }

  /** {@return the subject of this node's certificate, as other nodes see it, e.g. {@code CN=seeder-1,O=Example}} */
  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  /**
   * The peer id this node has under this configuration: derived from its certificate
   * ({@link PeerId#fromCertificate}), so every peer can check it. A client with TLS always uses it.
   *
   * @return the certificate's peer id
   */
  public PeerId peerId() {
    return PeerId.fromCertificate(certificate);
  }

  /** {@return when this node's certificate expires} */
  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** {@return how long a TLS handshake may take} */

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** A new transport for these settings; the builders call it. */
  Transport transport() {
    return new TlsTransport(context, handshakeTimeout, certificate);
  }

  @Override
  public String toString() {
    return "TlsConfig[" + subject() + ", key store " + keyStore + ", trust store " + trustStore + "]";
  }
}
