package io.swarmshare.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Translates the JDK's TLS exceptions into one line that says what went wrong and what to do.
 * The JDK's own messages ("Received fatal alert: certificate_unknown", "Unsupported or
 * unrecognized SSL message") are precise but name the symptom, not the cause.
 */
final class TlsFailures {
  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");
  private static final String SEE = "see docs/SECURITY.md";

  private TlsFailures() {}

  /**
   * The failure explained; the JDK's exception stays as the cause. {@code ssl}, when known, lets
   * the message say that the other side refused this side's certificate because it expired: a
   * JDK server sends the same alert for every certificate it refuses.
   */
  static TlsException explain(SSLException e, InetSocketAddress remote, @Nullable SSLSocket ssl) {
    if (e instanceof TlsException explained) {
      return explained;
    }
    return new TlsException(message(e, where(remote), ssl), e);
  }

  /**
   * The server closed the connection after the handshake and before its first byte: in TLS 1.3
   * that is how a refusal of our certificate looks when the alert is lost to the close. With an
   * expired certificate of ours that is surely the reason, and the message says so as the alert
   * would have.
   */
  static TlsException closedAfterHandshake(InetSocketAddress remote, SSLSocket ssl, @Nullable X509Certificate ours,
      @Nullable IOException cause) {
    X509Certificate session = ownCertificate(ssl);
    X509Certificate own = session != null ? session : ours;
    String where = where(remote);
    String message = expired(own)
        ? refusedExpired(where, Objects.requireNonNull(own))
        : where + " closed the connection during or right after the TLS handshake"
            + (cause == null ? "" : " (" + cause.getMessage() + ")")
            + ": it may have refused our certificate; is this node a member of that swarm? " + SEE;
    return new TlsException(message, cause);
  }

  private static boolean expired(@Nullable X509Certificate own) {
    return own != null && Instant.now().isAfter(own.getNotAfter().toInstant());
  }

  /** The other side refused our certificate, and it has expired: surely the reason. */
  private static String refusedExpired(String remote, X509Certificate own) {
    return remote + " refused our certificate, which expired on " + own.getNotAfter().toInstant() + "; make a new one, " + SEE;
  }

  /** An address as a user would type it: {@code HOST:PORT}. */
  static String where(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** Every message starts with the other side's address, so callers can prefix "tracker " or "peer ". */
  private static String message(SSLException e, String remote, @Nullable SSLSocket ssl) {
    SwarmTrustManager.Refusal refusal = cause(e, SwarmTrustManager.Refusal.class);
    if (refusal != null) {
      return remote + " presented " + refusal.getMessage() + "; " + SEE;
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("Unsupported or unrecognized SSL message")) {
      return remote + " does not speak TLS: is it a plain (non-TLS) tracker or peer? Both sides need TLS"
          + " (--tls-keystore and --tls-truststore), or neither";
    }
    if (m.contains("Empty client certificate chain")) {
      return remote + " sent no certificate signed by a CA in this side's trust store: not a member of this swarm";
    }
    Matcher alert = ALERT.matcher(m);
    if (alert.find()) {
      String name = alert.group(1);
      X509Certificate own = ownCertificate(ssl);
      return switch (name) {
        case "certificate_required" -> remote + " refused us: this node holds no certificate signed by a CA that"
            + " side trusts (TLS alert certificate_required); is it a member of that swarm? " + SEE;
        case "bad_certificate", "certificate_unknown", "unknown_ca", "unsupported_certificate", "certificate_expired",
            "certificate_revoked", "access_denied" -> expired(own)
            ? refusedExpired(remote, Objects.requireNonNull(own))
            : remote + " refused our certificate (TLS alert " + name + "): it does not trust the CA that signed it;"
                + " is this node a member of that swarm? " + SEE;
        case "protocol_version", "handshake_failure", "insufficient_security" -> remote
            + " could not agree on TLS 1.3 with us (TLS alert " + name + ")";
        default -> remote + ": TLS failed with alert " + name;
      };
    }
    if (m.contains("terminated the handshake")) {
      return remote + " closed the connection during the TLS handshake: does it speak TLS, and trust our certificate?";
    }
    return remote + ": TLS failed: " + m;
  }

  private static @Nullable X509Certificate ownCertificate(@Nullable SSLSocket ssl) {
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] local = ssl.getSession().getLocalCertificates();
      return local != null && local.length > 0 && local[0] instanceof X509Certificate x ? x : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static <T extends Throwable> @Nullable T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
