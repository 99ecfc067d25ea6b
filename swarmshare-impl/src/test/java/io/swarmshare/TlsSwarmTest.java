package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.peer.ServedFiles;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.RecordingRelay;
import io.swarmshare.testkit.TestFiles;
import io.swarmshare.testkit.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole swarms over TLS on loopback, through the public API: they deliver verified files, keep
 * out nodes the swarm's CA did not sign, refuse plain TCP in both directions at once and with a
 * message, and put no plaintext on the wire.
 */
@Timeout(60)
class TlsSwarmTest {
  private static final long FAST_MILLIS = 3000;

  @TempDir static Path keys;
  @TempDir Path dir;
  static TlsConfig trackerTls;
  static TlsConfig seeder1Tls;
  static TlsConfig seeder2Tls;
  static TlsConfig leecherTls;
  static TlsConfig intruderTls;

  @BeforeAll
  static void pki() throws Exception {
    TestPki swarm = new TestPki(keys.resolve("swarm"), "Swarm CA");
    Path trust = swarm.trustStore();
    trackerTls = config(swarm.keyStore("tracker"), trust);
    seeder1Tls = config(swarm.keyStore("seeder-1"), trust);
    seeder2Tls = config(swarm.keyStore("seeder-2"), trust);
    leecherTls = config(swarm.keyStore("leecher"), trust);
    // Knows the swarm's CA, but its own key is signed by another one.
    intruderTls = config(new TestPki(keys.resolve("outsider"), "Outsider CA").keyStore("intruder"), trust);
  }

  private static TlsConfig config(Path keyStore, Path trust) throws Exception {
    return TlsConfig.fromKeyStores(keyStore, trust, TestPki.PASSWORD.toCharArray());
  }

  @Test
  void aTlsSwarmOfATrackerTwoSeedersAndALeecherDeliversAVerifiedFile() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      Path file = TestFiles.random(dir.resolve("seed"), "tls.bin", 4 * 1024 * 1024 + 99, 10);
      SharedFile shared = null;
      int n = 0;
      for (TlsConfig tls : new TlsConfig[] {seeder1Tls, seeder2Tls}) {
        // Capped, so neither seeder can serve the whole file before the other joins in.
        SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder-" + ++n).tls(tls)
            .maxUploadRate(3 * 1024 * 1024).start());
        shared = seeder.share(file);
      }
      SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").tls(leecherTls).start());
      DownloadResult r = leecher.download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(40));

      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertEquals(2, r.peers(), "chunks came from " + r.bytesFromPeer());
      // Over TLS a peer's id is its certificate's, whatever the builder was told before .tls(...).
      assertTrue(r.bytesFromPeer().get(seeder1Tls.peerId()) > 0, r.bytesFromPeer().toString());
      assertTrue(r.bytesFromPeer().get(seeder2Tls.peerId()) > 0, r.bytesFromPeer().toString());
    }
  }

  @Test
  void aNodeWhoseCertificateTheSwarmDidNotSignIsRefusedByTheTrackerAndByPeers() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      Path file = TestFiles.random(dir.resolve("seed"), "members-only.bin", 64 * 1024, 11);
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seeder1Tls).start());
      seeder.share(file);
      SwarmClient intruder = swarm.track(swarm.clientBuilder("intruder").tls(intruderTls).start());

      long start = System.nanoTime();
      TrackerUnavailableException atTracker = assertThrows(TrackerUnavailableException.class,
          () -> intruder.search("members", 10));
      assertFast(start);
      assertTrue(atTracker.getMessage().startsWith("tracker " + swarm.trackerAddress() + " refused us: this node holds"
          + " no certificate signed by a CA that side trusts"), atTracker.getMessage());

      // Straight to the seeder, bypassing the tracker: the peer port demands a swarm certificate too.
      SSLException atPeer = assertThrows(SSLException.class, () -> intruderTls.transport()
          .connect(seeder.address().toSocketAddress(), Duration.ofSeconds(5)).close());
      assertTrue(atPeer.getMessage().contains(" refused us: this node holds no certificate signed by a CA that side"
          + " trusts"), atPeer.getMessage());
    }
  }

  @Test
  void aPlainClientIsRefusedByATlsTrackerAtOnceWithAMessage() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      SwarmClient plain = swarm.client("plain");
      long start = System.nanoTime();
      ProtocolException e = assertThrows(ProtocolException.class, () -> plain.search("x", 10));
      assertFast(start);
      assertEquals("tls_required", e.code());
      assertEquals("tracker " + swarm.trackerAddress() + " refused the connection: this port requires TLS 1.3;"
          + " connect with TLS and a certificate of this swarm (CLI: --tls-keystore and --tls-truststore;"
          + " see docs/SECURITY.md)", e.getMessage());
    }
  }

  @Test
  void aTlsClientIsToldAtOnceThatAPlainTrackerDoesNotSpeakTls() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      SwarmClient tls = swarm.track(swarm.clientBuilder("tls").tls(leecherTls).start());
      long start = System.nanoTime();
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, () -> tls.search("x", 10));
      assertFast(start);
      assertTrue(e.getMessage().startsWith("tracker " + swarm.trackerAddress() + " does not speak TLS: is it a plain"
          + " (non-TLS) tracker or peer?"), e.getMessage());
    }
  }

  @Test
  void aTlsClientsPeerIdIsTheSha256OfItsCertificateAndCannotBeChosen() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      SwarmClient seeder = swarm.track(swarm.clientBuilder("chosen-name").tls(seeder1Tls).start());
      assertEquals(seeder1Tls.peerId(), seeder.id());
      assertTrue(seeder.id().value().matches("[0-9a-f]{64}"), seeder.id().value());
      assertNotEquals(seeder1Tls.peerId(), seeder2Tls.peerId());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SwarmShare.client().tls(seeder1Tls).peerId(new PeerId("chosen-name")));
      assertTrue(e.getMessage().contains("derived from the certificate"), e.getMessage());
    }
  }

  @Test
  void aMemberWhoseHelloClaimsAnotherMembersIdIsRefusedAndNeverAskedForAChunk() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      Path file = TestFiles.random(dir.resolve("seed"), "who.bin", 1024 * 1024, 13);
      // Slow enough that the download is still running when the impostor is announced.
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seeder1Tls).maxUploadRate(384 * 1024).start());
      SharedFile shared = seeder.share(file);
      Manifest manifest = shared.manifest();
      // A member of the swarm (it holds seeder-2's certificate) on another address, whose hello says
      // it is seeder-1, and which would serve garbage for every chunk.
      MemoryStore garbage = new MemoryStore(manifest);
      for (int i = 0; i < manifest.chunkCount(); i++) {
        garbage.writeChunk(i, ByteBuffer.wrap(new byte[manifest.chunkLength(i)]));
      }
      ServedFiles served = new ServedFiles();
      served.put(garbage);
      PeerServer impostor = swarm.track(new PeerServer(seeder2Tls.transport(), new InetSocketAddress("127.0.0.2", 0),
          seeder1Tls.peerId(), served, RateLimiter.of(0), PeerServer.Caps.DEFAULTS));

      SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").tls(leecherTls).start());
      List<DownloadEvent> events = new CopyOnWriteArrayList<>();
      Download d = leecher.download(shared.id(), dir.resolve("out"));
      d.onEvent(events::add);
      swarm.tracker().announce(new Announcement(shared.id(), seeder2Tls.peerId(),
          new PeerAddress("127.0.0.2", impostor.address().getPort()), Bitfield.full(manifest.chunkCount())));
      Await.until(() -> events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerDisconnected p
          && p.reason().startsWith("refused: its hello claims peer id " + seeder1Tls.peerId())), Duration.ofSeconds(20),
          () -> "the impostor is refused: " + events.stream().filter(e -> !(e instanceof DownloadEvent.ChunkVerified)).toList());
      DownloadResult r = d.await(Duration.ofSeconds(40));

      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertEquals(java.util.Set.of(seeder1Tls.peerId()), r.bytesFromPeer().keySet());
      assertTrue(events.stream().noneMatch(e -> e instanceof DownloadEvent.ChunkRejected
          || e instanceof DownloadEvent.PeerBanned), "nothing was asked of the impostor: " + events.stream()
          .filter(e -> !(e instanceof DownloadEvent.ChunkVerified)).toList());
    }
  }

  @Test
  void aTlsPeerServerRefusesAClientWhoseHelloClaimsAnIdItsCertificateDoesNotProve() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seeder1Tls).start());
      try (Connection c = leecherTls.transport().connect(seeder.address().toSocketAddress(), Duration.ofSeconds(5))) {
        c.readTimeout(Duration.ofSeconds(5));
        FrameReader reader = new FrameReader(c.input(), Limits.DEFAULTS);
        FrameWriter writer = new FrameWriter(c.output());
        Handshake.Hello hello = Handshake.exchange(reader, writer, seeder2Tls.peerId(), "peer");
        assertEquals(seeder1Tls.peerId(), hello.peer(), "the server's hello is its certificate's id");
        Header h = reader.next();
        assertEquals("error", h.type());
        assertEquals("bad_request", h.string("code", 64));
        assertTrue(h.string("message", 1000).contains(leecherTls.peerId().value()), h.toString());
        reader.skipBody();
        assertEquals(null, reader.next(), "and the connection is closed");
      }
    }
  }

  @Test
  void aPlainPeerConnectingToATlsPeerReadsAFrameSayingTlsIsRequired() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seeder1Tls).start());
      try (Connection c = new TcpTransport().connect(seeder.address().toSocketAddress(), Duration.ofSeconds(5))) {
        FrameWriter writer = new FrameWriter(c.output());
        writer.write(Handshake.hello(new PeerId("plain"), "peer"));
        writer.flush();
        c.readTimeout(Duration.ofSeconds(5));
        Header h = new FrameReader(c.input(), Limits.DEFAULTS).next();
        assertEquals("error", h.type());
        assertEquals("tls_required", h.string("code", 64));
      }
    }
  }

  @Test
  void bytesRelayedBetweenTwoTlsPeersHoldNoPlaintextOfTheFile() throws Exception {
    Path file = TestFiles.random(dir.resolve("seed"), "secret.bin", 1024 * 1024, 12);
    byte[] data = Files.readAllBytes(file);

    byte[] overTls = relayedDownload(file, trackerTls, seeder1Tls, leecherTls);
    byte[] overTcp = relayedDownload(file, null, null, null);

    assertTrue(overTls.length > data.length, "every chunk crossed the relay: " + overTls.length + " bytes");
    for (int offset = 0; offset + 64 <= data.length; offset += 64 * 1024 + 4096) {
      byte[] slice = java.util.Arrays.copyOfRange(data, offset, offset + 64);
      assertEquals(-1, RecordingRelay.indexOf(overTls, slice), "64 bytes of the file at " + offset + " crossed in clear");
      // The control: the same relay does see them when the swarm speaks plain TCP.
      assertNotEquals(-1, RecordingRelay.indexOf(overTcp, slice), "the relay should see plain TCP at " + offset);
    }
    byte[] chunkFrame = "\"type\":\"chunk\"".getBytes(StandardCharsets.US_ASCII);
    assertEquals(-1, RecordingRelay.indexOf(overTls, chunkFrame), "no protocol header in clear either");
    assertNotEquals(-1, RecordingRelay.indexOf(overTcp, chunkFrame));
  }

  /** Downloads {@code file} from one seeder through a recording relay and returns what the relay saw. */
  private byte[] relayedDownload(Path file, @Nullable TlsConfig trackerTls, @Nullable TlsConfig seederTls,
      @Nullable TlsConfig leecherTls) throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm(trackerTls)) {
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seederTls).start());
      SharedFile shared = seeder.share(file);
      try (RecordingRelay relay = new RecordingRelay(seeder.address().toSocketAddress())) {
        Transport base = leecherTls == null ? new TcpTransport() : leecherTls.transport();
        // The tracker lists the seeder's own port; the leecher's connections to it go through the relay.
        Transport viaRelay = new Redirect(base, seeder.address().port(), relay.address());
        ClientBuilder b = swarm.clientBuilder("leecher").transport(viaRelay);
        SwarmClient leecher = swarm.track((leecherTls == null ? b : b.peerId(leecherTls.peerId())).start());
        Path out = dir.resolve(leecherTls == null ? "out-tcp" : "out-tls");
        DownloadResult r = leecher.download(shared.id(), out).await(Duration.ofSeconds(30));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
        return relay.captured();
      }
    }
  }

  /** A transport that sends connections for one port to another address. */
  private record Redirect(Transport inner, int port, InetSocketAddress to) implements Transport {
    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
      return inner.connect(address.getPort() == port ? to : address, timeout);
    }

    @Override
    public Listener listen(InetSocketAddress bind) throws IOException {
      return inner.listen(bind);
    }
  }

  private static void assertFast(long startNanos) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    assertTrue(millis < FAST_MILLIS, "took " + millis + " ms; a mismatch must fail at once, not by a timeout");
    assertFalse(millis < 0);
  }
}
