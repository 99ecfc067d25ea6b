package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.NoPeersException;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.FakePeer;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that lie about who they are or keep a useless connection alive, speaking from 127.0.0.2
 * as they would from another machine, while honest nodes use 127.0.0.1 (issue 15, attacks 2
 * and 5).
 */
@Timeout(90)
class HostilePeerTest {
  private static final String ATTACKER_HOST = "127.0.0.2";

  @TempDir Path dir;

  /** An event and when it arrived. */
  private record Seen(DownloadEvent event, long nanos) {}

  @Test
  void anImpostorOfTheSeedersIdIsBannedByItsAddressAndTheSeederIsNot() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "victim.bin", 256 * 1024, 151);
      Manifest manifest = SwarmShare.manifest(file, 16 * 1024, n -> { });
      swarm.tracker().register(manifest, "victim.bin");
      PeerId seederId = new PeerId("seeder");
      int chunks = manifest.chunkCount();
      // Says it is the seeder in its hello, and answers every get with bytes of the right length
      // that match no hash. It reaches the leecher through a tracker entry of its own, so the test
      // does not depend on whether the tracker lets it announce under the seeder's id.
      try (FakePeer impostor = new FakePeer(seederId, ATTACKER_HOST, manifest.id(), chunks, (get, chunk, w) -> {
        byte[] junk = new byte[manifest.chunkLength(chunk)];
        java.util.Arrays.fill(junk, (byte) 0x5A);
        w.write(PeerMessages.chunk(get.id(), manifest.id(), chunk), junk, 0, junk.length);
        w.flush();
      }, null, Duration.ZERO)) {
        swarm.tracker().announce(new Announcement(manifest.id(), new PeerId("mallory"), impostor.address(),
            Bitfield.full(chunks)));
        List<DownloadEvent> events = new CopyOnWriteArrayList<>();
        Download d = swarm.client("leecher").download(manifest.id(), dir.resolve("out"));
        d.onEvent(events::add);
        Await.until(() -> events.stream().anyMatch(e -> e instanceof DownloadEvent.PeerBanned), Duration.ofSeconds(20),
            () -> "the impostor is banned: " + events);

        // The real seeder comes online (or reconnects) after the impostor's ban under its id.
        SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").start());
        seeder.share(file);
        DownloadResult r = d.await(Duration.ofSeconds(40));

        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()), "verified copy");
        assertTrue(r.bytesFromPeer().getOrDefault(seederId, 0L) > 0, "bytes came from the seeder: " + r.bytesFromPeer());
        List<DownloadEvent.PeerBanned> bans = events.stream()
            .filter(e -> e instanceof DownloadEvent.PeerBanned).map(e -> (DownloadEvent.PeerBanned) e).toList();
        assertEquals(1, bans.size(), bans.toString());
        assertEquals(impostor.address(), bans.get(0).address(), "the ban names the address it applies to");
        assertTrue(bans.stream().noneMatch(b -> b.address().equals(seeder.address())), "the seeder is never banned");
      }
    }
  }

  /**
   * A peer that answers the hello and the bitfield, then sends a frame nobody asked for every
   * 200 ms (an unknown type, a {@code have} of a chunk it already claimed, a bitfield and an error
   * under ids never used) and never a chunk.
   */
  private static FakePeer chatterbox(Manifest manifest) throws Exception {
    return chatterbox(manifest, Duration.ofMillis(200));
  }

  private static FakePeer chatterbox(Manifest manifest, Duration pace) throws Exception {
    int chunks = manifest.chunkCount();
    return new FakePeer(new PeerId("chatterbox"), ATTACKER_HOST, manifest.id(), chunks, (get, chunk, w) -> { },
        (n, w) -> {
          switch (n % 4) {
            case 0 -> w.write(Header.of("noise").with("n", n));
            case 1 -> {
              byte[] body = ByteBuffer.allocate(4).putInt(0).array();
              w.write(PeerMessages.have(manifest.id(), 1), body, 0, body.length);
            }
            case 2 -> {
              byte[] bits = Bitfield.full(chunks).toByteArray();
              w.write(PeerMessages.bitfieldResponse(1_000_000 + n, manifest.id(), Bitfield.full(chunks)), bits, 0,
                  bits.length);
            }
            default -> w.write(Errors.frame(2_000_000 + n, ErrorCode.NOT_FOUND, "nothing"));
          }
        }, pace);
  }

  @Test
  void aPeerThatChattersWithinItsBudgetIsStillDroppedAsStalled() throws Exception {
    // One frame a second stays within the unsolicited budget for longer than the stall timeout:
    // what drops this peer is that none of its frames is progress on the chunks asked of it.
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "slowtalk.bin", 256 * 1024, 154);
      Manifest manifest = SwarmShare.manifest(file, 16 * 1024, n -> { });
      swarm.tracker().register(manifest, "slowtalk.bin");
      try (FakePeer chatty = chatterbox(manifest, Duration.ofSeconds(1))) {
        swarm.tracker().announce(new Announcement(manifest.id(), chatty.id(), chatty.address(),
            Bitfield.full(manifest.chunkCount())));
        SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").stallTimeout(Duration.ofSeconds(3))
            .noPeersTimeout(Duration.ofSeconds(30)).start());
        List<Seen> events = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        Download d = leecher.download(manifest.id(), dir.resolve("out"));
        d.onEvent(e -> events.add(new Seen(e, System.nanoTime())));
        Await.until(() -> events.stream().anyMatch(s -> s.event() instanceof DownloadEvent.PeerDisconnected),
            Duration.ofSeconds(20), () -> "the chatterbox is dropped: " + events);
        d.cancel();
        Seen dropped = first(events, DownloadEvent.PeerDisconnected.class);
        assertTrue(((DownloadEvent.PeerDisconnected) dropped.event()).reason().startsWith("stalled"), dropped.toString());
        double heldFor = (dropped.nanos() - start) / 1e9;
        assertTrue(heldFor <= 3 + 1.5, "dropped " + heldFor + " s after the download started");
      }
    }
  }

  @Test
  void aPeerThatChattersButNeverSendsAChunkIsDroppedWithinTheStallTimeoutAndTheDownloadFails() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "quiet.bin", 256 * 1024, 152);
      Manifest manifest = SwarmShare.manifest(file, 16 * 1024, n -> { });
      swarm.tracker().register(manifest, "quiet.bin");
      try (FakePeer chatty = chatterbox(manifest)) {
        swarm.tracker().announce(new Announcement(manifest.id(), chatty.id(), chatty.address(),
            Bitfield.full(manifest.chunkCount())));
        SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").stallTimeout(Duration.ofSeconds(5))
            .noPeersTimeout(Duration.ofSeconds(10)).start());
        List<Seen> events = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        Download d = leecher.download(manifest.id(), dir.resolve("out"));
        d.onEvent(e -> events.add(new Seen(e, System.nanoTime())));

        NoPeersException e = assertThrows(NoPeersException.class, () -> d.await(Duration.ofSeconds(40)),
            () -> "fails for want of peers; events " + events);
        long failed = System.nanoTime();
        // Timed from the start of the download: it connects within milliseconds on loopback.
        Seen dropped = first(events, DownloadEvent.PeerDisconnected.class);
        double heldFor = (dropped.nanos() - start) / 1e9;
        assertTrue(heldFor <= 5 + 1.5, "dropped " + heldFor + " s after the download started: " + dropped.event());
        double afterDrop = (failed - dropped.nanos()) / 1e9;
        assertTrue(afterDrop >= 9, "failed only after the no-peers timeout, " + afterDrop + " s after the drop");
        assertTrue((failed - start) / 1e9 <= 5 + 10 + 5, "failed " + (failed - start) / 1e9 + " s after it started");
        assertTrue(e.getMessage().contains("no peer"), e.getMessage());
        assertEquals(0, d.progress().verifiedChunks());
      }
    }
  }

  @Test
  void aPeerThatChattersBesideAnHonestSeederIsDroppedAndTheDownloadCompletes() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "busy.bin", 3 * 1024 * 1024, 153);
      // Slow enough that the download outlasts the stall timeout.
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").maxUploadRate(256 * 1024).start());
      Manifest manifest = seeder.share(file).manifest();
      try (FakePeer chatty = chatterbox(manifest)) {
        swarm.tracker().announce(new Announcement(manifest.id(), chatty.id(), chatty.address(),
            Bitfield.full(manifest.chunkCount())));
        SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").stallTimeout(Duration.ofSeconds(5))
            .noPeersTimeout(Duration.ofSeconds(10)).start());
        List<Seen> events = new CopyOnWriteArrayList<>();
        Download d = leecher.download(manifest.id(), dir.resolve("out"));
        d.onEvent(e -> events.add(new Seen(e, System.nanoTime())));
        DownloadResult r = d.await(Duration.ofSeconds(60));

        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()), "verified copy");
        assertEquals(List.of(new PeerId("seeder")), List.copyOf(r.bytesFromPeer().keySet()));
        Seen completed = first(events, DownloadEvent.Completed.class);
        assertTrue(events.stream().anyMatch(s -> s.event() instanceof DownloadEvent.PeerDisconnected p
            && p.peer().equals(chatty.id()) && !p.reason().equals("finished") && s.nanos() < completed.nanos()),
            () -> "the chatterbox was dropped before the download completed: " + events);
      }
    }
  }

  private static Seen first(List<Seen> events, Class<? extends DownloadEvent> type) {
    return events.stream().filter(s -> type.isInstance(s.event())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + events));
  }
}
