package io.swarmshare.cli;

import io.swarmshare.TlsConfig;
import io.swarmshare.api.SwarmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS keys for {@code swarmshare demo --tls}: one self-signed EC key made with the JDK's
 * {@code keytool} (the JDK has no public API to issue certificates), shared by every node of the
 * demo, and a trust store holding its certificate. Real swarms give each node its own key signed
 * by the swarm's CA, as {@code docs/SECURITY.md} shows.
 */
final class DemoKeys {
  private DemoKeys() {}

  /** Makes the key and trust store under {@code dir} and loads them. */
  static TlsConfig create(Path dir) throws SwarmException, IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("demo-node.p12");
    Path trustStore = dir.resolve("demo-trust.p12");
    Files.deleteIfExists(keyStore);
    char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new SwarmException("demo --tls makes its keys with keytool, which this Java does not have (" + keytool
          + "); run it on a JDK");
    }
    ProcessBuilder pb = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "demo",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=swarmshare-demo", "-validity", "1",
        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass:env", "DEMO_PASSWORD"))
        .redirectErrorStream(true);
    // The password reaches keytool through its environment, never its command line.
    pb.environment().put("DEMO_PASSWORD", new String(password));
    Process p = pb.start();
    byte[] output;
    try (InputStream in = p.getInputStream()) {
      output = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroy();
      throw new SwarmException("keytool could not make the demo key: "
          + new String(output, StandardCharsets.UTF_8).strip());
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        keys.load(in, password);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("demo", keys.getCertificate("demo"));
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trust.store(out, password);
      }
    } catch (GeneralSecurityException e) {
      throw new SwarmException("cannot write the demo trust store: " + e.getMessage(), e);
    }
    return TlsConfig.fromKeyStores(keyStore, trustStore, password);
  }
}
