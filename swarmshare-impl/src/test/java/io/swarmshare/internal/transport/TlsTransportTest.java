package io.swarmshare.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.tracker.ServerSettings;
import io.swarmshare.internal.tracker.TrackerLimits;
import io.swarmshare.internal.tracker.TrackerServer;
import io.swarmshare.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS transport on real loopback sockets: mutual authentication, and one clear message, fast,
 * for every mismatch: plain against TLS both ways, a certificate from another CA either way, an
 * expired certificate either way, a silent other side.
 */
@Timeout(30)
class TlsTransportTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
  private static final RemoteTracker.Settings ONE_TRY =
      new RemoteTracker.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ofMillis(10), Limits.DEFAULTS);
  /** Every mismatch must be reported well within this; nothing may wait for a timeout. */
  private static final long FAST_MILLIS = 3000;

  @TempDir static Path dir;
  static Path trust;
  static Path trackerKeys;
  static Path peerKeys;
  static Path intruderKeys;
  static Path expiredKeys;

  @BeforeAll
  static void pki() {
    TestPki swarm = new TestPki(dir.resolve("swarm"), "Swarm CA");
    TestPki outsider = new TestPki(dir.resolve("outsider"), "Outsider CA");
    trust = swarm.trustStore();
    trackerKeys = swarm.keyStore("tracker");
    peerKeys = swarm.keyStore("peer-1");
    expiredKeys = swarm.expiredKeyStore("old-peer");
    intruderKeys = outsider.keyStore("intruder");
  }

  static TlsTransport tls(Path keys) throws IOException {
    return tls(keys, Instant.now(), Duration.ofSeconds(5));
  }

  /** {@code now} lets a test load an expired key, which {@code TlsConfig} would refuse to. */
  static TlsTransport tls(Path keys, Instant now, Duration handshakeTimeout) throws IOException {
    TlsStores.Loaded loaded = TlsStores.load(keys, trust, TestPki.PASSWORD.toCharArray(), "the test", now);
    return new TlsTransport(loaded.context(), handshakeTimeout, loaded.certificate());
  }

  @Test
  void bothSidesProveTheirCertificateAndTalkOverTls13() throws Exception {
    try (Listener listener = tls(trackerKeys).listen(LOOPBACK)) {
      CompletableFuture<String> serverSaw = CompletableFuture.supplyAsync(() -> {
        try (Connection c = listener.accept()) {
          // A SwarmShare server speaks first (its hello); the client's connect waits for that.
          c.output().write("hi".getBytes(StandardCharsets.US_ASCII));
          c.output().flush();
          byte[] b = c.input().readNBytes(5);
          c.output().write(b);
          c.output().flush();
          return c.authenticatedPeer().orElse("none");
        } catch (IOException e) {
          return e.toString();
        }
      });
      try (Connection c = tls(peerKeys).connect(listener.localAddress(), Duration.ofSeconds(5))) {
        c.output().write("hello".getBytes(StandardCharsets.US_ASCII));
        c.output().flush();
        assertArrayEquals("hihello".getBytes(StandardCharsets.US_ASCII), c.input().readNBytes(7));
        assertTrue(c.authenticatedPeer().orElseThrow().startsWith("CN=tracker,"), c.authenticatedPeer().toString());
        assertNull(c.zeroCopyChannel(), "TLS encrypts in user space: no zero-copy channel");
      }
      assertTrue(serverSaw.get(5, TimeUnit.SECONDS).startsWith("CN=peer-1,"), serverSaw.get());
    }
  }

  @Test
  void aPlainClientIsToldThePortRequiresTls() throws Exception {
    try (TrackerServer server = tracker(tls(trackerKeys));
        RemoteTracker plain = new RemoteTracker(address(server), new TcpTransport(), new PeerId("plain"), ONE_TRY)) {
      long start = System.nanoTime();
      ProtocolException e = assertThrows(ProtocolException.class, plain::ping);
      assertFast(start);
      assertEquals("tls_required", e.code());
      assertTrue(e.getMessage().startsWith("tracker " + address(server) + " refused the connection: this port requires TLS"),
          e.getMessage());
    }
  }

  @Test
  void aTlsClientIsToldAPlainTrackerDoesNotSpeakTls() throws Exception {
    try (TrackerServer server = tracker(new TcpTransport());
        RemoteTracker client = new RemoteTracker(address(server), tls(peerKeys), new PeerId("tls"), ONE_TRY)) {
      long start = System.nanoTime();
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, client::ping);
      assertFast(start);
      assertEquals("tracker " + address(server) + " does not speak TLS: is it a plain (non-TLS) tracker or peer?"
          + " Both sides need TLS (--tls-keystore and --tls-truststore), or neither", e.getMessage());
    }
  }

  @Test
  void aTrackerRefusesAClientWhoseCertificateTheSwarmDidNotSign() throws Exception {
    try (TrackerServer server = tracker(tls(trackerKeys));
        RemoteTracker intruder = new RemoteTracker(address(server), tls(intruderKeys), new PeerId("intruder"), ONE_TRY)) {
      long start = System.nanoTime();
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, intruder::ping);
      assertFast(start);
      assertEquals("tracker " + address(server) + " refused us: this node holds no certificate signed by a CA that"
          + " side trusts (TLS alert certificate_required); is it a member of that swarm? see docs/SECURITY.md",
          e.getMessage());
    }
  }

  @Test
  void theAcceptingSideNamesTheCertificateItRefused() throws Exception {
    String serverSide = refusedOnAccept(tls(trackerKeys), tls(intruderKeys));
    // The JDK client sends no certificate when none is signed by a CA the server lists as trusted.
    assertTrue(serverSide.endsWith(" sent no certificate signed by a CA in this side's trust store: not a member of"
        + " this swarm"), serverSide);
  }

  @Test
  void aClientRefusesAServerWhoseCertificateTheSwarmDidNotSign() throws Exception {
    try (Listener listener = tls(intruderKeys).listen(LOOPBACK)) {
      Thread.ofVirtual().start(() -> serveOnce(listener));
      long start = System.nanoTime();
      SSLException e = assertThrows(SSLException.class,
          () -> tls(peerKeys).connect(listener.localAddress(), Duration.ofSeconds(5)));
      assertFast(start);
      assertEquals("127.0.0.1:" + listener.localAddress().getPort() + " presented certificate"
          + " 'CN=intruder,O=SwarmShare tests' issued by 'CN=Outsider CA,O=SwarmShare tests', which is not a CA in"
          + " this side's trust store: not a member of this swarm; see docs/SECURITY.md", e.getMessage());
    }
  }

  @Test
  void anExpiredClientCertificateIsRefusedAndBothSidesSaySo() throws Exception {
    TlsTransport expired = tls(expiredKeys, Instant.now().minus(Duration.ofDays(5)), Duration.ofSeconds(5));
    try (TrackerServer server = tracker(tls(trackerKeys));
        RemoteTracker old = new RemoteTracker(address(server), expired, new PeerId("old"), ONE_TRY)) {
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, old::ping);
      assertTrue(e.getMessage().matches("tracker " + address(server) + " refused our certificate, which expired on"
          + " \\S+; make a new one, see docs/SECURITY.md"), e.getMessage());
    }
    String serverSide = refusedOnAccept(tls(trackerKeys), expired);
    assertTrue(serverSide.contains("presented certificate 'CN=old-peer,O=SwarmShare tests' that expired on "), serverSide);
  }

  @Test
  void anExpiredServerCertificateIsRefused() throws Exception {
    TlsTransport expired = tls(expiredKeys, Instant.now().minus(Duration.ofDays(5)), Duration.ofSeconds(5));
    try (Listener listener = expired.listen(LOOPBACK)) {
      Thread.ofVirtual().start(() -> serveOnce(listener));
      SSLException e = assertThrows(SSLException.class,
          () -> tls(peerKeys).connect(listener.localAddress(), Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains(" presented certificate 'CN=old-peer,O=SwarmShare tests' that expired on "),
          e.getMessage());
    }
  }

  @Test
  void aSilentOrTricklingClientCannotHoldAHandshakeOpen() throws Exception {
    TlsTransport quick = tls(trackerKeys, Instant.now(), Duration.ofMillis(400));
    try (Listener listener = quick.listen(LOOPBACK);
        Socket silent = new Socket("127.0.0.1", listener.localAddress().getPort());
        Socket trickling = new Socket("127.0.0.1", listener.localAddress().getPort())) {
      Connection first = listener.accept();
      // A TLS record type, then nothing: the deadline covers the whole handshake, not one read.
      trickling.getOutputStream().write(0x16);
      Connection second = listener.accept();
      for (Connection c : new Connection[] {first, second}) {
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, c::input);
        assertTrue(e.getMessage().contains("not complete within 400 ms"), e.getMessage());
        assertFast(start);
        c.close();
      }
    }
  }

  @Test
  void aTlsClientGivesUpOnASilentServer() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      long start = System.nanoTime();
      SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
          () -> tls(peerKeys).connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(400)));
      assertFast(start);
      assertTrue(e.getMessage().contains("does the other side speak TLS?"), e.getMessage());
    }
  }

  @Test
  void closingFromAnotherThreadUnblocksAReader() throws Exception {
    try (Listener listener = tls(trackerKeys).listen(LOOPBACK)) {
      CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          Connection c = listener.accept();
          c.output().write(1);
          c.output().flush();
          return c;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Connection c = tls(peerKeys).connect(listener.localAddress(), Duration.ofSeconds(5));
      CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
        try {
          c.input().read();
          return c.input().read();
        } catch (IOException e) {
          return e;
        }
      });
      Thread.sleep(100); // let the reader block; the assertion below does not depend on it
      c.close();
      read.get(5, TimeUnit.SECONDS);
      // The other side sees the end of the stream, not an error: no close_notify is needed.
      assertEquals(-1, accepted.get(5, TimeUnit.SECONDS).input().read());
    }
  }

  /** Accepts one connection, lets a client at it with {@code client}, and returns what the server read. */
  private static String refusedOnAccept(Transport server, Transport client) throws Exception {
    try (Listener listener = server.listen(LOOPBACK)) {
      CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> {
        try (Connection c = listener.accept()) {
          InputStream in = c.input();
          return "read " + in.read();
        } catch (IOException e) {
          return e.getMessage();
        }
      });
      try (Connection c = client.connect(listener.localAddress(), Duration.ofSeconds(5))) {
        c.output().write(1);
        c.output().flush();
        c.input().read();
      } catch (IOException expected) {
        // this side's view is checked by the tests above
      }
      return serverSide.get(5, TimeUnit.SECONDS);
    }
  }

  private static void serveOnce(Listener listener) {
    try (Connection c = listener.accept()) {
      c.input().read();
    } catch (IOException ignored) {
      // the client refused us: that is the point
    }
  }

  private static TrackerServer tracker(Transport transport) throws IOException {
    return TrackerServer.start(new InMemoryTracker(TrackerLimits.DEFAULTS, InstantSource.system()), transport, LOOPBACK,
        ServerSettings.defaults());
  }

  private static PeerAddress address(TrackerServer server) {
    return new PeerAddress("127.0.0.1", server.address().getPort());
  }

  private static void assertFast(long startNanos) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    assertTrue(millis < FAST_MILLIS, "took " + millis + " ms; a mismatch must fail at once, not by a timeout");
  }
}
