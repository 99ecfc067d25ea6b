package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The TLS options of tracker, share, get, search and demo, and their one-line errors. */
@Timeout(60)
class TlsCommandsTest {
  @TempDir static Path keys;
  @TempDir Path dir;
  static Path trust;
  static Path trackerKeys;
  static Path seederKeys;
  static Path leecherKeys;
  static Path password;

  @BeforeAll
  static void pki() {
    TestPki swarm = new TestPki(keys, "Swarm CA");
    trust = swarm.trustStore();
    trackerKeys = swarm.keyStore("tracker");
    seederKeys = swarm.keyStore("seeder");
    leecherKeys = swarm.keyStore("leecher");
    password = swarm.passwordFile();
  }

  private static List<String> tls(Path keyStore, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--tls-keystore", keyStore.toString(), "--tls-truststore", trust.toString(),
        "--tls-password-file", password.toString()));
    return all;
  }

  @Test
  void aTlsSwarmRunsThroughTheCliAndAPlainSearchIsRefusedInOneLine() throws Exception {
    byte[] data = new byte[700 * 1024 + 3];
    new Random(5).nextBytes(data);
    Path file = Files.write(Files.createDirectories(dir.resolve("shared")).resolve("report.bin"), data);

    StringWriter trackerOut = new StringWriter();
    AtomicInteger trackerCode = new AtomicInteger(-1);
    Thread tracker = Thread.ofPlatform().start(() -> trackerCode.set(Main.run(
        tls(trackerKeys, "tracker", "--port", "0", "--bind", "127.0.0.1").toArray(String[]::new),
        new PrintWriter(trackerOut, true), new PrintWriter(new StringWriter(), true))));
    StringWriter shareOut = new StringWriter();
    Thread sharer = null;
    try {
      Await.until(() -> trackerOut.toString().contains("listening") || trackerCode.get() >= 0, Duration.ofSeconds(10),
          () -> "tracker did not start: " + trackerOut);
      Matcher m = Pattern.compile("tracker listening on 127\\.0\\.0\\.1:(\\d+) with TLS 1\\.3 as"
          + " CN=tracker,O=SwarmShare tests \\(Ctrl-C to stop\\)").matcher(trackerOut.toString());
      assertTrue(m.find(), trackerOut.toString());
      String address = "127.0.0.1:" + m.group(1);

      sharer = Thread.ofPlatform().start(() -> Main.run(
          tls(seederKeys, "share", file.toString(), "--tracker", address, "--json", "--chunk-size", "64K")
              .toArray(String[]::new), new PrintWriter(shareOut, true), new PrintWriter(new StringWriter(), true)));
      Await.until(() -> shareOut.toString().contains("\"id\""), Duration.ofSeconds(20), () -> "share: " + shareOut);

      ManifestCommandTest.Run get = ManifestCommandTest.run(tls(leecherKeys, "get", "report.bin", "-o",
          dir.resolve("got").toString(), "--tracker", address, "-q").toArray(String[]::new));
      assertEquals(0, get.code(), get.err());
      assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(dir.resolve("got").resolve("report.bin"))));

      ManifestCommandTest.Run search = ManifestCommandTest.run(
          tls(leecherKeys, "search", "report", "--tracker", address).toArray(String[]::new));
      assertEquals(0, search.code(), search.err());
      assertTrue(search.out().contains("report.bin"), search.out());

      ManifestCommandTest.Run plain = ManifestCommandTest.run("search", "report", "--tracker", address);
      assertEquals(1, plain.code());
      assertEquals("swarmshare: tracker " + address + " refused the connection: this port requires TLS 1.3; connect"
          + " with TLS and a certificate of this swarm (CLI: --tls-keystore and --tls-truststore; see"
          + " docs/SECURITY.md)\n", plain.err().replace("\r", ""));
    } finally {
      CountDownLatch stop = ShareCommand.stop;
      if (stop != null) {
        stop.countDown();
      }
      if (sharer != null) {
        sharer.join(Duration.ofSeconds(10));
      }
      tracker.interrupt();
      tracker.join(Duration.ofSeconds(10));
    }
    assertEquals(0, trackerCode.get());
  }

  @Test
  void aTlsSearchOfAPlainTrackerSaysItDoesNotSpeakTls() throws Exception {
    try (RunningTracker plain = SwarmShare.tracker().port(0).bind("127.0.0.1").start()) {
      String address = "127.0.0.1:" + plain.boundAddress().getPort();
      ManifestCommandTest.Run r = ManifestCommandTest.run(
          tls(leecherKeys, "search", "x", "--tracker", address).toArray(String[]::new));
      assertEquals(1, r.code());
      assertEquals("swarmshare: tracker " + address + " does not speak TLS: is it a plain (non-TLS) tracker or peer?"
          + " Both sides need TLS (--tls-keystore and --tls-truststore), or neither\n", r.err().replace("\r", ""));
    }
  }

  @Test
  void aKeyStoreWithoutATrustStoreIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "x", "--tls-keystore", leecherKeys.toString());
    assertEquals(2, r.code());
    assertEquals("swarmshare: TLS needs both --tls-keystore (this node's key) and --tls-truststore (the swarm's CA);"
        + " see docs/SECURITY.md\n", r.err().replace("\r", ""));
  }

  @Test
  void aWrongPasswordIsOneLineNamingTheFile() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.txt"), "guess\n");
    ManifestCommandTest.Run r = ManifestCommandTest.run("tracker", "--port", "0", "--tls-keystore",
        trackerKeys.toString(), "--tls-truststore", trust.toString(), "--tls-password-file", wrong.toString());
    assertEquals(1, r.code());
    assertEquals("swarmshare: cannot open key store " + trackerKeys + ": wrong password (the password came from file "
        + wrong + ")\n", r.err().replace("\r", ""));
  }

  @Test
  void theDemoRunsOverTlsWithThrowawayKeys() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("demo", "--tls", "--size", "512K", "--peers", "2",
        "--chunk-size", "64K", "--dir", dir.resolve("demo").toString(), "-q");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("with TLS 1.3 as CN=swarmshare-demo"), r.out());
    assertTrue(r.out().contains("Every copy verified."), r.out());
  }
}
