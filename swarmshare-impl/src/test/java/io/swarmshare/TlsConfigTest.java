package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmshare.api.SwarmException;
import io.swarmshare.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a TLS configuration can be wrong is one message naming the file and what to do. */
class TlsConfigTest {
  @TempDir static Path dir;
  static Path trust;
  static Path keys;
  static char[] password = TestPki.PASSWORD.toCharArray();

  @BeforeAll
  static void pki() {
    TestPki swarm = new TestPki(dir.resolve("swarm"), "Swarm CA");
    trust = swarm.trustStore();
    keys = swarm.keyStore("node-7");
  }

  @Test
  void loadsANodesKeyAndTheSwarmsTrustStore() throws Exception {
    TlsConfig tls = TlsConfig.fromKeyStores(keys, trust, password);
    assertEquals("CN=node-7,O=SwarmShare tests", tls.subject());
    assertEquals(TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT, tls.handshakeTimeout());
    assertEquals(Duration.ofSeconds(3), tls.withHandshakeTimeout(Duration.ofSeconds(3)).handshakeTimeout());
    assertTrue(tls.toString().contains("CN=node-7"), tls.toString());
  }

  @Test
  void aWrongPasswordSaysWhereThePasswordCameFrom() throws Exception {
    assertEquals("cannot open key store " + keys + ": wrong password (the password came from the caller)",
        fails(() -> TlsConfig.fromKeyStores(keys, trust, "not-it".toCharArray())));
    Path file = Files.writeString(dir.resolve("wrong.txt"), "not-it\n");
    assertEquals("cannot open key store " + keys + ": wrong password (the password came from file " + file + ")",
        fails(() -> TlsConfig.fromPasswordFile(keys, trust, file)));
  }

  @Test
  void aPasswordFileMayEndWithALineBreakOfEitherKind() throws Exception {
    for (String ending : new String[] {"", "\n", "\r\n", "\nsecond line ignored\n"}) {
      Path file = Files.writeString(dir.resolve("pw.txt"), TestPki.PASSWORD + ending);
      assertEquals("CN=node-7,O=SwarmShare tests", TlsConfig.fromPasswordFile(keys, trust, file).subject());
    }
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
    assertEquals("password file " + empty + " is empty; its first line should be the store password",
        fails(() -> TlsConfig.fromPasswordFile(keys, trust, empty)));
    Path missing = dir.resolve("missing.txt");
    assertEquals("password file " + missing + " not found", fails(() -> TlsConfig.fromPasswordFile(keys, trust, missing)));
  }

  @Test
  void withoutTheEnvironmentVariableTheMessageSaysHowToGiveThePassword() {
    assumeTrue(System.getenv(TlsConfig.PASSWORD_ENV) == null, "the variable is set in this environment");
    assertEquals("no password for " + keys + ": set $SWARMSHARE_TLS_PASSWORD to it, or give a file holding it"
        + " (CLI: --tls-password-file)", fails(() -> TlsConfig.fromEnvironment(keys, trust)));
  }

  @Test
  void storesThatAreMissingSwappedOrNotPkcs12AreNamed() throws Exception {
    Path missing = dir.resolve("nope.p12");
    assertEquals("key store " + missing + " not found", fails(() -> TlsConfig.fromKeyStores(missing, trust, password)));
    assertTrue(fails(() -> TlsConfig.fromKeyStores(keys, keys, password))
        .startsWith("trust store " + keys + " holds no trusted certificate: import the swarm's CA certificate"));
    assertTrue(fails(() -> TlsConfig.fromKeyStores(trust, trust, password))
        .startsWith("key store " + trust + " holds no private key"));
    Path garbage = Files.write(dir.resolve("garbage.p12"), new byte[] {1, 2, 3, 4, 5});
    assertTrue(fails(() -> TlsConfig.fromKeyStores(garbage, trust, password))
        .startsWith("cannot read key store " + garbage + ": it is not a PKCS12 store"));
  }

  @Test
  void anExpiredCertificateIsRefusedBeforeAnyConnection() {
    Path expired = new TestPki(dir.resolve("old"), "Old CA").expiredKeyStore("old-node");
    String m = fails(() -> TlsConfig.fromKeyStores(expired, trust, password));
    assertTrue(m.matches("the certificate in key store \\S+ \\('CN=old-node,O=SwarmShare tests'\\) expired on \\S+;"
        + " make a new one, see docs/SECURITY.md"), m);
  }

  private interface Load {
    TlsConfig load() throws SwarmException;
  }

  private static String fails(Load load) {
    return assertThrows(SwarmException.class, load::load).getMessage();
  }
}
