package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.RawClient;
import io.swarmshare.testkit.SocketFlood;
import io.swarmshare.testkit.TestFiles;
import io.swarmshare.testkit.TestManifests;
import io.swarmshare.testkit.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One machine against everyone else: the attacker speaks from 127.0.0.2, the honest tracker,
 * seeder and leecher from 127.0.0.1, all through the public API on real loopback sockets. Whatever
 * the attacker holds or sends, a legitimate {@code search} and {@code get} succeed, and the
 * seeder's tracker entry stays where the seeder put it.
 */
class HostileAddressTest {
  static final String ATTACKER = "127.0.0.2";
  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void elevenHundredConnectionsToTheTrackerFromOneAddressLeaveRoomForSearch() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "report.bin", 64 * 1024, 1);
      SharedFile shared = swarm.client("seeder").share(file);
      InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", swarm.trackerAddress().port());
      try (SocketFlood flood = SocketFlood.open(ATTACKER, tracker, 1_100)) {
        int held = flood.admitted();
        SwarmClient searcher = swarm.client("searcher");
        assertEquals(List.of(shared.id()), searcher.search("report", 10).stream().map(FileEntry::id).toList(),
            "search answers while " + ATTACKER + " holds " + held + " tracker connections");
        DownloadResult r = searcher.download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
        assertNotNull(r, "get finishes while " + ATTACKER + " holds " + held + " tracker connections");
        assertTrue(held < 1_000, "one address holds only its share of the tracker's 1024 slots, not " + held);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void elevenHundredConnectionsToTheSharerFromOneAddressLeaveRoomForGet() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "report.bin", 200 * 1024, 1);
      SwarmClient seeder = swarm.client("seeder");
      SharedFile shared = seeder.share(file);
      InetSocketAddress sharer = new InetSocketAddress("127.0.0.1", seeder.address().port());
      try (SocketFlood flood = SocketFlood.open(ATTACKER, sharer, 1_100)) {
        int held = flood.admitted();
        SwarmClient leecher = swarm.client("leecher");
        DownloadResult r = leecher.download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
        assertNotNull(r, "get finishes while " + ATTACKER + " holds " + held + " connections to the sharer");
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
        assertTrue(held < 200, "one address holds only its share of the sharer's 256 slots, not " + held);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twelveThousandRegistrationsFromOneAddressLeaveRoomForOthers() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", swarm.trackerAddress().port());
      int connections = 8;
      int perConnection = 1_500;
      int accepted = 0;
      try (var attackers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Integer>> oks = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
          int first = c * perConnection;
          oks.add(attackers.submit(() -> registerJunk(tracker, first, perConnection)));
        }
        for (Future<Integer> ok : oks) {
          accepted += ok.get();
        }
      }

      Path file = TestFiles.random(dir.resolve("seed"), "quarterly.bin", 100 * 1024, 2);
      SharedFile shared = swarm.client("seeder").share(file);
      SwarmClient leecher = swarm.client("leecher");
      assertEquals(List.of(shared.id()), leecher.search("quarterly", 10).stream().map(FileEntry::id).toList(),
          "an honest file is registered and found after " + ATTACKER + " registered " + accepted + " of "
              + connections * perConnection + " junk files");
      DownloadResult r = leecher.download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
      assertNotNull(r, "get finishes");
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertTrue(accepted < 1_000, "one address cannot fill the file table: it registered " + accepted);
    }
  }

  /** Registers {@code count} junk files on one connection from the attacker, pipelined; returns how many were taken. */
  private static int registerJunk(InetSocketAddress tracker, int first, int count) throws Exception {
    try (RawClient c = new RawClient(tracker, ATTACKER)) {
      c.hello(new PeerId("junk-" + first));
      Thread sender = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < count; i++) {
            Manifest m = TestManifests.random(1_000_000L + first + i, 1);
            c.send(Header.request("register", i).with("file", m.id().hex()).with("name", "junk-" + (first + i))
                .with("size", m.size()).with("chunkSize", m.chunkSize()), m.canonicalBytes());
          }
        } catch (Exception e) {
          // the tracker may close on us; the reader below counts what it answered
        }
      });
      int ok = 0;
      for (int i = 0; i < count; i++) {
        Header reply = c.next();
        if (reply == null) {
          break;
        }
        if (reply.type().equals("ok")) {
          ok++;
        }
      }
      sender.join();
      return ok;
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anotherAddressCannotMoveOrRemoveTheSeedersEntry() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "mine.bin", 64 * 1024, 3);
      SwarmClient seeder = swarm.client("seeder");
      SharedFile shared = seeder.share(file);
      int chunks = shared.manifest().chunkCount();
      InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", swarm.trackerAddress().port());
      try (RawClient attacker = new RawClient(tracker, ATTACKER)) {
        attacker.hello(seeder.id());
        byte[] all = Bitfield.full(chunks).toByteArray();
        attacker.send(Header.request("announce", 1).with("file", shared.id().hex()).with("port", 1)
            .with("chunks", chunks), all);
        Header moved = attacker.next();
        assertEquals("error", moved.type(), "an announce under the seeder's id from another address is refused: " + moved);
        assertEquals("forbidden", moved.string("code", 64));
        assertEquals(1, moved.id());
        assertSeederListed(swarm, shared, seeder);

        attacker.send(Header.request("leave", 2).with("file", shared.id().hex()));
        Header removed = attacker.next();
        assertEquals("error", removed.type(), "a leave under the seeder's id from another address is refused: " + removed);
        assertEquals("forbidden", removed.string("code", 64));
        assertSeederListed(swarm, shared, seeder);

        // The connection stays usable for what the attacker may do.
        attacker.send(Header.request("ping", 3));
        assertEquals("pong", attacker.next().type());
      }
      DownloadResult r = swarm.client("leecher").download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
      assertNotNull(r, "the seeder still serves");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void junkNamesFromOneAddressCannotCrowdOutAFilesOtherNames() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "thesis.pdf", 32 * 1024, 4);
      SharedFile shared = swarm.client("author").share(file);
      Manifest m = shared.manifest();
      InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", swarm.trackerAddress().port());
      int taken = 0;
      try (RawClient attacker = new RawClient(tracker, ATTACKER)) {
        attacker.hello(new PeerId("squatter"));
        for (int i = 0; i < 15; i++) {
          attacker.send(Header.request("register", i).with("file", m.id().hex()).with("name", "junk-" + i)
              .with("size", m.size()).with("chunkSize", m.chunkSize()), m.canonicalBytes());
          if (attacker.next().type().equals("ok")) {
            taken++;
          }
        }
      }
      // Another honest sharer of the same bytes adds its own name for them.
      swarm.client("mirror").share(file, "thesis-final.pdf");
      List<String> names = swarm.client("reader").search(m.id().hex(), 50).stream().map(FileEntry::name).toList();
      assertTrue(names.contains("thesis.pdf") && names.contains("thesis-final.pdf"),
          "honest names are listed beside the " + taken + " junk names " + ATTACKER + " got in: " + names);
      assertTrue(taken < 15, "one address cannot fill a file's names: it added " + taken);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withTlsAnotherMembersCertificateCannotMoveTheSeedersEntryEvenFromItsAddress() throws Exception {
    TestPki pki = new TestPki(dir.resolve("pki"), "Swarm CA");
    Path trust = pki.trustStore();
    TlsConfig seederTls = TlsConfig.fromKeyStores(pki.keyStore("seeder"), trust, TestPki.PASSWORD.toCharArray());
    TlsConfig memberTls = TlsConfig.fromKeyStores(pki.keyStore("mallory"), trust, TestPki.PASSWORD.toCharArray());
    try (LoopbackSwarm swarm = new LoopbackSwarm(TlsConfig.fromKeyStores(pki.keyStore("tracker"), trust,
        TestPki.PASSWORD.toCharArray()))) {
      Path file = TestFiles.random(dir.resolve("seed"), "signed.bin", 64 * 1024, 5);
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").tls(seederTls).start());
      SharedFile shared = seeder.share(file);
      // A member of the swarm, on the seeder's own address, says it is the seeder.
      try (RemoteTracker mallory = new RemoteTracker(swarm.trackerAddress(), memberTls.transport(), seeder.id(),
          RemoteTracker.Settings.DEFAULTS)) {
        Announcement moved = new Announcement(shared.id(), seeder.id(), new PeerAddress("127.0.0.1", 1),
            Bitfield.full(shared.manifest().chunkCount()));
        assertThrows(SwarmException.class, () -> mallory.announce(moved), "another certificate cannot announce as the seeder");
        assertSeederListed(swarm, shared, seeder);
        assertThrows(SwarmException.class, () -> mallory.leave(shared.id(), seeder.id()),
            "another certificate cannot make the seeder leave");
        assertSeederListed(swarm, shared, seeder);
      }
    }
  }

  private static void assertSeederListed(LoopbackSwarm swarm, SharedFile shared, SwarmClient seeder) throws Exception {
    List<PeerInfo> peers = swarm.tracker().peers(shared.id(), 10);
    assertEquals(1, peers.size(), "only the seeder is listed: " + peers);
    assertEquals(seeder.id(), peers.getFirst().peer());
    assertEquals("127.0.0.1", peers.getFirst().address().host(), "the seeder's host stays its own");
    assertEquals(seeder.address().port(), peers.getFirst().address().port(), "the seeder's port stays its own");
  }
}
