package io.swarmshare.cli;

import io.swarmshare.TlsConfig;
import io.swarmshare.api.SwarmException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tls-keystore}, {@code --tls-truststore} and {@code --tls-password-file}: TLS 1.3 with
 * this node's key, trusting the swarm's CA. The password comes from a file or from
 * {@code $SWARMSHARE_TLS_PASSWORD}, never from the command line, where other users could read it.
 */
final class TlsOptions {
  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "Use TLS 1.3, with this node's key and certificate from this PKCS12 key store"
          + " (needs --tls-truststore). See docs/SECURITY.md.")
  @Nullable Path keyStore;

  @Option(names = "--tls-truststore", paramLabel = "FILE",
      description = "PKCS12 trust store with the swarm's CA certificate: only nodes it vouches for may connect.")
  @Nullable Path trustStore;

  @Option(names = "--tls-password-file", paramLabel = "FILE",
      description = "File whose first line is the password of both stores (default: $" + TlsConfig.PASSWORD_ENV + ").")
  @Nullable Path passwordFile;

  /** The TLS settings, or null for plain TCP when no TLS option was given. */
  @Nullable TlsConfig config() throws SwarmException {
    if (keyStore == null && trustStore == null) {
      if (passwordFile != null) {
        throw new Errors.UsageException("--tls-password-file needs --tls-keystore and --tls-truststore");
      }
      return null;
    }
    if (keyStore == null || trustStore == null) {
      throw new Errors.UsageException("TLS needs both --tls-keystore (this node's key) and --tls-truststore"
          + " (the swarm's CA); see docs/SECURITY.md");
    }
    return passwordFile != null ? TlsConfig.fromPasswordFile(keyStore, trustStore, passwordFile)
        : TlsConfig.fromEnvironment(keyStore, trustStore);
  }
}
