package io.swarmshare.internal.transport;

import java.io.Serial;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager over the swarm's trust store, with refusals that name the
 * certificate and the reason: expired, not yet valid, or not signed by a CA in the trust store.
 * The JDK's own cause stays attached, so the TLS alert sent to the other side is the precise one
 * ({@code certificate_expired}, {@code certificate_unknown}, ...).
 *
 * <p>Thread-safe, as the trust manager it wraps.
 */
final class SwarmTrustManager extends X509ExtendedTrustManager {
  /** A certificate this side does not accept; the message names it and says why. */
  static final class Refusal extends CertificateException {
    @Serial private static final long serialVersionUID = 1L;

    Refusal(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final X509ExtendedTrustManager pkix;

  SwarmTrustManager(X509ExtendedTrustManager pkix) {
    this.pkix = pkix;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    explained(chain, () -> pkix.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    explained(chain, () -> pkix.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    explained(chain, () -> pkix.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    explained(chain, () -> pkix.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    explained(chain, () -> pkix.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    explained(chain, () -> pkix.checkServerTrusted(chain, authType));
  }

  /** One check of the wrapped trust manager. */
  private interface Check {
    void run() throws CertificateException;
  }

  /** Runs a check of the wrapped trust manager, turning its refusal into one that explains itself. */
  private static void explained(X509Certificate[] chain, Check check) throws CertificateException {
    try {
      check.run();
    } catch (CertificateException e) {
      throw refusal(chain, e);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private static CertificateException refusal(X509Certificate[] chain, CertificateException e) {
    if (chain == null || chain.length == 0) {
      return new Refusal("no certificate", e.getCause() == null ? e : e.getCause());
    }
    X509Certificate leaf = chain[0];
    String who = "certificate '" + leaf.getSubjectX500Principal().getName() + "'";
    String why;
    if (has(e, CertificateExpiredException.class)) {
      why = who + " that expired on " + leaf.getNotAfter().toInstant();
    } else if (has(e, CertificateNotYetValidException.class)) {
      why = who + " that is not valid until " + leaf.getNotBefore().toInstant();
    } else {
      why = who + " issued by '" + leaf.getIssuerX500Principal().getName()
          + "', which is not a CA in this side's trust store: not a member of this swarm";
    }
    // Keep the JDK's cause (not e itself): the JDK picks the TLS alert from it.
    return new Refusal(why, e.getCause() == null ? e : e.getCause());
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
