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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Throwaway TLS keys for {@code swarmshare demo --tls}: one self-signed EC key per node, made with
 * the JDK's {@code keytool} (the JDK has no public API to issue certificates), and one trust store
 * holding every node's certificate. Each node needs a key of its own because over TLS a peer's id
 * is derived from its certificate (docs/SECURITY.md): nodes sharing a key would share an id. Real
 * swarms sign each node's key with the swarm's CA, as docs/SECURITY.md shows.
 */
final class DemoKeys {
  /** The certificate subject of the node named {@code "tracker"}; other nodes add their name to it. */
  static final String SUBJECT = "CN=swarmshare-demo";

  private DemoKeys() {}

  /**
   * Makes a key store for each of {@code nodes} and a trust store for all of them under {@code dir},
   * and loads them; keytool runs for several nodes at once.
   */
  static Map<String, TlsConfig> create(Path dir, List<String> nodes)
      throws SwarmException, IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new SwarmException("demo --tls makes its keys with keytool, which this Java does not have (" + keytool
          + "); run it on a JDK");
    }
    char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    Map<String, Path> stores = new LinkedHashMap<>();
    for (String node : nodes) {
      stores.put(node, dir.resolve("demo-" + node + ".p12"));
    }
    // A keytool is a JVM: run as many at once as there are processors.
    Semaphore slots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    Map<String, String> failures = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (Map.Entry<String, Path> e : stores.entrySet()) {
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          slots.acquire();
          try {
            String failure = genkey(keytool, e.getValue(), e.getKey(), password);
            if (failure != null) {
              failures.put(e.getKey(), failure);
            }
          } finally {
            slots.release();
          }
        } catch (IOException | InterruptedException x) {
          failures.put(e.getKey(), String.valueOf(x.getMessage()));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new SwarmException("keytool could not make the demo keys: " + failures.values().iterator().next());
    }
    Path trustStore = dir.resolve("demo-trust.p12");
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (Map.Entry<String, Path> e : stores.entrySet()) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(e.getValue())) {
          keys.load(in, password);
        }
        trust.setCertificateEntry(e.getKey(), keys.getCertificate("demo"));
      }
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trust.store(out, password);
      }
    } catch (GeneralSecurityException e) {
      throw new SwarmException("cannot write the demo trust store: " + e.getMessage(), e);
    }
    Map<String, TlsConfig> configs = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : stores.entrySet()) {
      configs.put(e.getKey(), TlsConfig.fromKeyStores(e.getValue(), trustStore, password));
    }
    return configs;
  }

  /** Runs keytool for one node's key; returns its output if it failed, else null. */
  private static @Nullable String genkey(Path keytool, Path keyStore, String node, char[] password)
      throws IOException, InterruptedException {
    Files.deleteIfExists(keyStore);
    String subject = node.equals("tracker") ? SUBJECT : SUBJECT + "-" + node;
    ProcessBuilder pb = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "demo",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject, "-validity", "1",
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
      return new String(output, StandardCharsets.UTF_8).strip();
    }
    return null;
  }
}
