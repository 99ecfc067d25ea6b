package io.swarmshare.internal.transport;

import io.swarmshare.api.SwarmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Loads a node's PKCS12 key store (its private key and certificate chain) and the swarm's PKCS12
 * trust store (the CA certificates it accepts), both under one password, into a TLS 1.3
 * {@link SSLContext}. Every way this can go wrong — a missing file, a wrong password, a store
 * that is not PKCS12, no key, several keys, no trusted certificate, an expired certificate —
 * is one {@link SwarmException} whose message names the file and what to do.
 */
public final class TlsStores {
  private static final String SEE = "see docs/SECURITY.md";

  /**
   * What was loaded.
   *
   * @param context a TLS 1.3 context presenting the node's key and trusting the trust store
   * @param certificate the node's own certificate
   */
  public record Loaded(SSLContext context, X509Certificate certificate) {}

  private TlsStores() {}

  /**
   * Loads both stores with {@code password}; {@code passwordSource} says where the password came
   * from, for the message when it is wrong. The password array is not kept.
   *
   * @throws SwarmException if a store cannot be read or does not hold what it should
   */
  public static Loaded load(Path keyStore, Path trustStore, char[] password, String passwordSource, Instant now)
      throws SwarmException {
    KeyStore keys = read(keyStore, "key store", password, passwordSource);
    X509Certificate own = ownCertificate(keys, keyStore);
    if (now.isAfter(own.getNotAfter().toInstant())) {
      throw new SwarmException("the certificate in key store " + keyStore + " ('" + own.getSubjectX500Principal().getName()
          + "') expired on " + own.getNotAfter().toInstant() + "; make a new one, " + SEE);
    }
    if (now.isBefore(own.getNotBefore().toInstant())) {
      throw new SwarmException("the certificate in key store " + keyStore + " ('" + own.getSubjectX500Principal().getName()
          + "') is not valid until " + own.getNotBefore().toInstant() + "; check this machine's clock");
    }
    KeyStore trusted = read(trustStore, "trust store", password, passwordSource);
    if (trustedCount(trusted) == 0) {
      throw new SwarmException("trust store " + trustStore + " holds no trusted certificate: import the swarm's CA"
          + " certificate into it with keytool -importcert (a key store is not a trust store); " + SEE);
    }
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      try {
        kmf.init(keys, password);
      } catch (UnrecoverableKeyException e) {
        throw new SwarmException("the private key in " + keyStore + " has another password than the store;"
            + " SwarmShare uses one password for both (keytool -keypass equal to -storepass)", e);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trusted);
      X509ExtendedTrustManager pkix = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          pkix = x;
        }
      }
      if (pkix == null) {
        throw new SwarmException("this JDK offers no X.509 trust manager; TLS cannot be used");
      }
      SSLContext context = SSLContext.getInstance(TlsTransport.PROTOCOL);
      context.init(kmf.getKeyManagers(), new TrustManager[] {new SwarmTrustManager(pkix)}, null);
      return new Loaded(context, own);
    } catch (GeneralSecurityException e) {
      throw new SwarmException("cannot set up TLS with " + keyStore + " and " + trustStore + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore read(Path file, String what, char[] password, String passwordSource) throws SwarmException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      return ks;
    } catch (NoSuchFileException e) {
      throw new SwarmException(what + " " + file + " not found", e);
    } catch (AccessDeniedException e) {
      throw new SwarmException("cannot read " + what + " " + file + ": permission denied", e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
        throw new SwarmException("cannot open " + what + " " + file + ": wrong password (the password came from "
            + passwordSource + ")", e);
      }
      throw new SwarmException("cannot read " + what + " " + file + ": it is not a PKCS12 store (" + e.getMessage()
          + "); make one with keytool -storetype PKCS12, " + SEE, e);
    } catch (GeneralSecurityException e) {
      throw new SwarmException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate ownCertificate(KeyStore keys, Path file) throws SwarmException {
    try {
      List<String> aliases = new ArrayList<>();
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias)) {
          aliases.add(alias);
        }
      }
      if (aliases.isEmpty()) {
        throw new SwarmException("key store " + file + " holds no private key: it should hold this node's key and"
            + " certificate (a trust store is not a key store); " + SEE);
      }
      if (aliases.size() > 1) {
        throw new SwarmException("key store " + file + " holds " + aliases.size() + " private keys " + aliases
            + "; it should hold exactly one, this node's");
      }
      Certificate[] chain = keys.getCertificateChain(aliases.get(0));
      if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
        throw new SwarmException("key store " + file + " has a key without an X.509 certificate; " + SEE);
      }
      return x;
    } catch (java.security.KeyStoreException e) {
      throw new SwarmException("cannot read key store " + file + ": " + e.getMessage(), e);
    }
  }

  private static int trustedCount(KeyStore trusted) throws SwarmException {
    try {
      int n = 0;
      for (String alias : Collections.list(trusted.aliases())) {
        if (trusted.isCertificateEntry(alias)) {
          n++;
        }
      }
      return n;
    } catch (java.security.KeyStoreException e) {
      throw new SwarmException("cannot read trust store: " + e.getMessage(), e);
    }
  }
}
