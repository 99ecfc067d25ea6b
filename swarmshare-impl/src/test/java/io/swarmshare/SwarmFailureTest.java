package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.peer.ServedFiles;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.FakePeer;
import io.swarmshare.testkit.ForwardingTracker;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SwarmFailureTest {
  /** The fake peer of {@link #fetchBesideFake}. */
  private static final PeerId FAKE = new PeerId("fake");

  @TempDir Path dir;

  /** A peer that claims every chunk and serves garbage for each. */
  private static PeerServer liar(Manifest manifest, PeerId id) throws Exception {
    MemoryStore garbage = new MemoryStore(manifest);
    for (int i = 0; i < manifest.chunkCount(); i++) {
      byte[] junk = new byte[manifest.chunkLength(i)];
      java.util.Arrays.fill(junk, (byte) i);
      garbage.writeChunk(i, ByteBuffer.wrap(junk));
    }
    ServedFiles files = new ServedFiles();
    files.put(garbage);
    return new PeerServer(new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), id, files, RateLimiter.of(0),
        PeerServer.Caps.DEFAULTS);
  }

  @Test
  void corruptPeerIsBannedAndTheFileStillArrivesIntact() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "x.bin", 2 * 1024 * 1024, 7);
      // 512 KiB/s: the download takes about 3 s, time enough for the liar's session to be asked
      // for chunks even on a loaded machine (at 1 MiB/s the honest peer once delivered it all
      // in 1 s, before the liar was asked anything).
      SwarmClient honest = swarm.track(swarm.clientBuilder("honest").maxUploadRate(512 * 1024).start());
      SharedFile shared = honest.share(file);
      PeerServer liar = swarm.track(liar(shared.manifest(), new PeerId("liar")));
      swarm.tracker().announce(new Announcement(shared.id(), new PeerId("liar"),
          new PeerAddress("127.0.0.1", liar.address().getPort()), Bitfield.full(shared.manifest().chunkCount())));

      List<DownloadEvent> events = new CopyOnWriteArrayList<>();
      Download d = swarm.client("leecher").download(shared.id(), dir.resolve("out"));
      d.onEvent(events::add);
      DownloadResult r = d.await(Duration.ofSeconds(40));

      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertTrue(events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerBanned b && b.peer().value().equals("liar")),
          "liar banned: " + events.stream().filter(e -> !(e instanceof DownloadEvent.ChunkVerified)).toList());
      assertFalse(events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerBanned b && b.peer().value().equals("honest")));
      assertEquals(List.of(new PeerId("honest")), List.copyOf(r.bytesFromPeer().keySet()));
    }
  }

  @Test
  void aPeerThatDiesMidTransferLosesItsChunksToTheOthers() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "die.bin", 3 * 1024 * 1024, 8);
      SwarmClient doomed = swarm.clientBuilder("doomed").maxUploadRate(1024 * 1024).start();
      SharedFile shared = doomed.share(file);
      SwarmClient survivor = swarm.track(swarm.clientBuilder("survivor").maxUploadRate(512 * 1024).start());
      survivor.share(file);
      Download d = swarm.client("leecher").download(shared.id(), dir.resolve("out"));
      Await.until(() -> d.progress().verifiedChunks() >= 10, Duration.ofSeconds(30), () -> "some chunks arrive");
      doomed.close();
      DownloadResult r = d.await(Duration.ofSeconds(40));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertTrue(r.bytesFromPeer().get(new PeerId("survivor")) > 0);
    }
  }

  @Test
  void aPeerThatStallsIsDroppedAndOthersFinish() throws Exception {
    // Claims every chunk, then never sends one.
    assertDroppedAsStalled("stall.bin", 9, shared -> (get, chunk, w) -> { });
  }

  @Test
  void aPeerThatStallsInsideAChunkIsDroppedAndOthersFinish() throws Exception {
    // Over plain TCP a chunk body is read from the socket channel, which has no read timeout of
    // its own: the download's watchdog must notice the silence and close the connection.
    boolean[] sent = {false};
    // Answers the first get with half a chunk, then goes silent.
    assertDroppedAsStalled("half.bin", 19, shared -> (get, chunk, w) -> {
      if (!sent[0]) {
        sent[0] = true;
        int chunkSize = shared.manifest().chunkSize();
        w.writeHead(PeerMessages.chunk(get.id(), shared.id(), chunk), chunkSize);
        w.stream().write(new byte[chunkSize / 2]);
        w.flush();
      }
    });
  }

  @Test
  void aPeerThatAnnouncesAChunkOutsideTheFileIsDroppedAndOthersFinish() throws Exception {
    // Answers a get with a have for a chunk the file does not have.
    assertFakeDropped("lie.bin", 47, shared -> (get, chunk, w) -> {
      byte[] body = java.nio.ByteBuffer.allocate(4).putInt(shared.manifest().chunkCount() + 5).array();
      w.write(PeerMessages.have(shared.id(), 1), body, 0, body.length);
      w.flush();
    }, "is not in the file");
  }

  @Test
  void aPeerThatBreaksTheProtocolIsSetAsideAfterAFewTries() throws Exception {
    // Every connection to it ends in a protocol error: it is dialled a few times, then set
    // aside, not redialled as fast as it fails (31 times in 4 s before) while the honest peer
    // delivers the file over 4 s.
    List<DownloadEvent> events = fetchBesideFake("again.bin", 49, shared -> (get, chunk, w) -> {
      byte[] body = java.nio.ByteBuffer.allocate(4).putInt(shared.manifest().chunkCount() + 5).array();
      w.write(PeerMessages.have(shared.id(), 1), body, 0, body.length);
      w.flush();
    });
    long drops = events.stream().filter(e -> e instanceof DownloadEvent.PeerDisconnected p && p.peer().equals(FAKE))
        .count();
    assertTrue(drops >= 1 && drops <= 3, // DownloadTask.FAILURES_TO_FORGET
        drops + " connections to a peer that broke the protocol on each");
  }

  @Test
  void aHaveForAnotherFileIsIgnored() throws Exception {
    // Answers a get with a have whose indexes, for another file, would be out of this one: the
    // session ignores it (it is not dropped for a chunk outside the file), then finds the peer
    // silent and drops it as stalled.
    FileId other = new FileId("ef".repeat(32));
    assertDroppedAsStalled("other.bin", 48, shared -> (get, chunk, w) -> {
      byte[] body = java.nio.ByteBuffer.allocate(4).putInt(shared.manifest().chunkCount() + 5).array();
      w.write(PeerMessages.have(other, 1), body, 0, body.length);
      w.flush();
    });
  }

  /** Downloads {@code id} as "leecher", checks it against {@code file} and returns every event. */
  private List<DownloadEvent> fetchAndCheck(LoopbackSwarm swarm, FileId id, Path file) throws Exception {
    List<DownloadEvent> events = new CopyOnWriteArrayList<>();
    Download d = swarm.client("leecher").download(id, dir.resolve("out"));
    d.onEvent(events::add);
    DownloadResult r = d.await(Duration.ofSeconds(40));
    assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
    return events;
  }

  /**
   * Downloads a file shared by a slow honest peer, with a fake peer that answers gets as
   * {@code bad} says announced beside it: the file arrives, and the fake peer is dropped as stalled.
   */
  private void assertDroppedAsStalled(String name, int seed, java.util.function.Function<SharedFile, FakePeer.OnGet> bad)
      throws Exception {
    assertFakeDropped(name, seed, bad, "stalled");
  }

  /**
   * Downloads a file shared by a slow honest peer, with a fake peer that answers gets as
   * {@code onGet} says announced beside it, checks the copy and returns the download's events.
   */
  private List<DownloadEvent> fetchBesideFake(String name, int seed,
      java.util.function.Function<SharedFile, FakePeer.OnGet> onGet) throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), name, 1024 * 1024, seed);
      SwarmClient honest = swarm.track(swarm.clientBuilder("honest").maxUploadRate(256 * 1024).start());
      SharedFile shared = honest.share(file);
      int chunks = shared.manifest().chunkCount();
      try (FakePeer fake = new FakePeer(FAKE, shared.id(), chunks, onGet.apply(shared))) {
        swarm.tracker().announce(new Announcement(shared.id(), fake.id(), fake.address(), Bitfield.full(chunks)));
        return fetchAndCheck(swarm, shared.id(), file);
      }
    }
  }

  /** As {@link #fetchBesideFake}, and the fake peer is dropped for a reason containing {@code why}. */
  private void assertFakeDropped(String name, int seed, java.util.function.Function<SharedFile, FakePeer.OnGet> onGet,
      String why) throws Exception {
    List<DownloadEvent> events = fetchBesideFake(name, seed, onGet);
    assertTrue(events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerDisconnected p
        && p.peer().equals(FAKE) && p.reason().contains(why)), events.stream()
        .filter(e -> e instanceof DownloadEvent.PeerDisconnected).toList().toString());
  }

  @Test
  void aPeerWhoseUplinkIsBookedIsAskedNothingUntilItsRetryTime() throws Exception {
    // A peer that answers every get with busy and a retryMs of 1.5 s: the downloader may have a
    // window of gets on the way when the first busy arrives, but then asks it nothing until the
    // retry time has passed, and meanwhile takes the file from the honest peer.
    List<Long> gets = new CopyOnWriteArrayList<>();
    List<Long> busies = new CopyOnWriteArrayList<>();
    fetchBesideFake("booked.bin", 53, shared -> (get, chunk, w) -> {
      gets.add(System.nanoTime());
      w.write(io.swarmshare.internal.protocol.Errors.frame(get.id(), io.swarmshare.internal.protocol.ErrorCode.BUSY,
          "booked").with("retryMs", 1500));
      w.flush();
      busies.add(System.nanoTime());
    });
    assertFalse(busies.isEmpty(), "the downloader asked the booked peer");
    long firstBusy = busies.get(0);
    for (long t : gets) {
      long after = t - firstBusy;
      // Gets sent before the first busy arrived reach the peer within moments of it.
      assertTrue(after < Duration.ofMillis(200).toNanos() || after >= Duration.ofMillis(1400).toNanos(),
          "a get " + after / 1_000_000 + " ms after the first busy, before its retry time");
    }
  }

  @Test
  void aPeerThatSendsSlowlyButSteadilyIsKept() throws Exception {
    // Each chunk takes longer than the stall timeout (2 s) to arrive, but no single wait for
    // bytes does: the stall timeout bounds silence, not the time a chunk takes.
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "slow.bin", 2 * 16 * 1024, 23);
      byte[] bytes = Files.readAllBytes(file);
      Manifest manifest = io.swarmshare.SwarmShare.manifest(file, 16 * 1024, n -> { });
      swarm.tracker().register(manifest, "slow.bin");
      try (FakePeer dripper = new FakePeer(new PeerId("dripper"), manifest.id(), manifest.chunkCount(),
          (get, chunk, w) -> {
            int length = manifest.chunkLength(chunk);
            w.writeHead(PeerMessages.chunk(get.id(), manifest.id(), chunk), length);
            // 1 KiB every 150 ms: 16 KiB in about 2.4 s.
            for (int off = 0; off < length; off += 1024) {
              w.stream().write(bytes, (int) manifest.chunkOffset(chunk) + off, Math.min(1024, length - off));
              w.flush();
              Thread.sleep(150); // the peer's pace under test, not a synchronisation
            }
          })) {
        swarm.tracker().announce(new Announcement(manifest.id(), new PeerId("dripper"), dripper.address(),
            Bitfield.full(manifest.chunkCount())));
        List<DownloadEvent> events = fetchAndCheck(swarm, manifest.id(), file);
        assertTrue(events.stream().noneMatch(e -> e instanceof DownloadEvent.PeerDisconnected p
            && p.reason().contains("stalled")), events.toString());
      }
    }
  }

  @Test
  void anErrorWhileStoringEndsTheSessionInsteadOfHangingIt() throws Exception {
    // A listener that throws an Error escapes the event dispatch (which contains only
    // RuntimeExceptions) and so the session's storer, which hands verified chunks to the
    // download. The session must end and a new one take over; a session whose verifier died
    // used to wait for ever for buffers that never came back.
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "verr.bin", 1024 * 1024, 29);
      SharedFile shared = swarm.client("seeder").share(file);
      java.util.concurrent.atomic.AtomicInteger verified = new java.util.concurrent.atomic.AtomicInteger();
      List<DownloadEvent> events = new CopyOnWriteArrayList<>();
      Download d = swarm.client("leecher").download(shared.id(), dir.resolve("out"));
      d.onEvent(e -> {
        events.add(e);
        if (e instanceof DownloadEvent.ChunkVerified && verified.incrementAndGet() <= 2) {
          throw new AssertionError("a listener with a bug");
        }
      });
      DownloadResult r = d.await(Duration.ofSeconds(40));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertTrue(events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerDisconnected p
          && p.reason().contains("internal error while storing")), events.stream()
          .filter(e -> e instanceof DownloadEvent.PeerDisconnected).toList().toString());
    }
  }

  @Test
  void aTrackerThatRestartsDuringADownloadIsReconnected() throws Exception {
    var first = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
    int port = first.address().port();
    PeerAddress trackerAddress = first.address();
    Path file = TestFiles.random(dir.resolve("seed"), "restart.bin", 2 * 1024 * 1024, 10);
    try (SwarmClient seeder = fast(SwarmShare.client().tracker(trackerAddress).peerId(new PeerId("seeder"))
        .maxUploadRate(1024 * 1024)).start();
        SwarmClient leecher = fast(SwarmShare.client().tracker(trackerAddress).peerId(new PeerId("leecher"))).start()) {
      SharedFile shared = seeder.share(file);
      Download d = leecher.download(shared.id(), dir.resolve("out"));
      Await.until(() -> d.progress().verifiedChunks() > 5, Duration.ofSeconds(30), () -> "download under way");
      first.close();
      try (var second = SwarmShare.tracker().port(port).bind("127.0.0.1").start()) {
        DownloadResult r = d.await(Duration.ofSeconds(40));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
        // Both peers found the new tracker and told it what they hold again.
        Await.until(() -> peersOf(second, shared.id()).size() == 2, Duration.ofSeconds(30),
            () -> "the restarted tracker knows both peers again, has " + peersOf(second, shared.id()));
      }
    } finally {
      first.close();
    }
  }

  private static List<PeerInfo> peersOf(Tracker t, FileId id) {
    try {
      return t.peers(id, 10);
    } catch (SwarmException e) {
      return List.of();
    }
  }

  private static ClientBuilder fast(ClientBuilder b) {
    return b.bind("127.0.0.1").trackerInterval(Duration.ofMillis(100)).announceInterval(Duration.ofMillis(200))
        .stallTimeout(Duration.ofSeconds(2)).chunkSize(16 * 1024);
  }

  @Test
  void aManifestThatDoesNotMatchTheIdIsRejected() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path real = TestFiles.random(dir.resolve("seed"), "real.bin", 100_000, 11);
      Path other = TestFiles.random(dir.resolve("seed"), "other.bin", 100_000, 12);
      SharedFile shared = swarm.client("seeder").share(real);
      Manifest wrong = SwarmShare.manifest(other);
      Tracker lying = new LyingTracker(swarm.tracker(), wrong);
      try (SwarmClient leecher = SwarmShare.client().tracker(lying).bind("127.0.0.1").start()) {
        var e = assertThrows(IntegrityException.class, () -> leecher.download(shared.id(), dir.resolve("out")));
        assertTrue(e.getMessage().contains("tracker"), e.getMessage());
      }
      try (Stream<Path> files = Files.list(dir.resolve("out"))) {
        assertEquals(List.of(), files.toList(), "nothing written");
      } catch (java.nio.file.NoSuchFileException expected) {
        // not even the directory: also nothing written
      }
    }
  }

  @Test
  void maliciousNamesLandAsSafeNamesInsideTheDirectory() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      SwarmClient seeder = swarm.client("seeder");
      SwarmClient leecher = swarm.client("leecher");
      Path out = dir.resolve("jail").resolve("out");
      String[][] cases = {{"../../etc/passwd", "passwd"}, {"..\\\\x", "x"}, {"..", null}, {"CON.txt", "_CON.txt"},
          {"  .hidden", "hidden"}};
      int seed = 100;
      for (String[] c : cases) {
        Path file = TestFiles.random(dir.resolve("seed"), "f" + seed, 1000 + seed, seed++);
        SharedFile shared = seeder.share(file, c[0]);
        DownloadResult r = leecher.download(shared.id(), out).await(Duration.ofSeconds(20));
        assertEquals(out.toAbsolutePath(), r.path().getParent(), "inside the directory for " + c[0]);
        if (c[1] != null) {
          assertEquals(c[1], r.path().getFileName().toString());
        }
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      }
      assertTrue(Files.notExists(dir.resolve("etc")));
      try (Stream<Path> all = Files.walk(dir.resolve("jail"))) {
        assertTrue(all.allMatch(p -> p.startsWith(dir.resolve("jail"))));
      }
    }
  }

  /** Passes everything through but hands out a manifest of another file; closing it leaves the real one open. */
  private static final class LyingTracker extends ForwardingTracker {
    private final Manifest wrong;

    LyingTracker(Tracker real, Manifest wrong) {
      super(real);
      this.wrong = wrong;
    }

    @Override
    public Optional<Manifest> manifest(FileId file) {
      return Optional.of(wrong);
    }

    @Override
    public void close() {}
  }
}
