package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.TestManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link Tracker} promises, whatever its shape. Subclasses start a tracker with the
 * given caps and clock and hand out the view of it a given peer uses: the same object in
 * process, a client speaking for that peer over a socket for a remote one.
 */
abstract class TrackerContract {
  static final Duration TTL = Duration.ofMinutes(10);
  static final TrackerLimits LIMITS = new TrackerLimits(TTL, 50, 3, 4, 100, 20, 10, 16L << 20);

  final ManualClock clock = ManualClock.atEpoch2025();
  final List<Tracker> opened = new ArrayList<>();

  /** Starts the tracker under test. */
  abstract void start(TrackerLimits limits, ManualClock clock) throws Exception;

  /** The tracker as peer {@code peer} sees it. */
  abstract Tracker as(PeerId peer) throws Exception;

  /** Stops the tracker under test. */
  abstract void stop();

  @BeforeEach
  void startTracker() throws Exception {
    start(LIMITS, clock);
  }

  @AfterEach
  void stopTracker() {
    opened.forEach(Tracker::close);
    stop();
  }

  Tracker tracker() throws Exception {
    return as(peer(0));
  }

  static PeerId peer(int n) {
    return new PeerId("peer-" + n);
  }

  static Announcement announce(Manifest m, int peer, Bitfield have) {
    return new Announcement(m.id(), peer(peer), new PeerAddress("127.0.0.1", 7000 + peer), have);
  }

  static Bitfield chunks(int size, int... set) {
    Bitfield b = Bitfield.empty(size);
    for (int i : set) {
      b = b.with(i);
    }
    return b;
  }

  @Test
  void registeredManifestIsServedByItsId() throws Exception {
    Manifest m = TestManifests.random(1, 5);
    tracker().register(m, "data.bin");
    Manifest got = tracker().manifest(m.id()).orElseThrow();
    assertEquals(m, got);
    assertEquals(m.chunkCount(), got.chunkCount());
    assertTrue(java.util.Arrays.equals(m.canonicalBytes(), got.canonicalBytes()));
  }

  @Test
  void largeManifestTravelsWhole() throws Exception {
    Manifest m = TestManifests.random(2, 20_000);
    tracker().register(m, "big.iso");
    assertEquals(m, tracker().manifest(m.id()).orElseThrow());
  }

  @Test
  void unknownFileHasNoManifest() throws Exception {
    assertTrue(tracker().manifest(TestManifests.random(3, 1).id()).isEmpty());
  }

  @Test
  void emptyFileCanBeRegisteredAndAnnounced() throws Exception {
    Manifest m = TestManifests.random(4, 0);
    tracker().register(m, "empty");
    tracker().announce(announce(m, 0, Bitfield.empty(0)));
    assertEquals(List.of(peer(0)), tracker().peers(m.id(), 10).stream().map(PeerInfo::peer).toList(),
        "every live peer is listed, whatever it holds");
    assertEquals(0, tracker().search("empty", 10).getFirst().peers());
  }

  @Test
  void registeringAgainAddsTheNameOnce() throws Exception {
    Manifest m = TestManifests.random(5, 2);
    tracker().register(m, "Report.pdf");
    tracker().register(m, "report-final.pdf");
    tracker().register(m, "Report.pdf");
    List<FileEntry> found = tracker().search("report", 10);
    assertEquals(List.of("report-final.pdf", "Report.pdf"), found.stream().map(FileEntry::name).toList());
    assertTrue(found.stream().allMatch(e -> e.id().equals(m.id()) && e.size() == m.size()));
  }

  @Test
  void namesPastTheCapAreRefusedBusy() throws Exception {
    Manifest m = TestManifests.random(6, 1);
    for (int i = 0; i < LIMITS.maxNamesPerFile(); i++) {
      tracker().register(m, "name-" + i);
    }
    assertCode("busy", () -> tracker().register(m, "one-too-many"));
    tracker().register(m, "name-0"); // a known name is no new name
  }

  @Test
  void malformedNamesAreRefusedBeforeTheyTravel() throws Exception {
    Manifest m = TestManifests.random(7, 1);
    assertThrows(IllegalArgumentException.class, () -> tracker().register(m, ""));
    assertThrows(IllegalArgumentException.class, () -> tracker().register(m, "x".repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> tracker().register(m, "bad\nname"));
    assertTrue(tracker().manifest(m.id()).isEmpty());
  }

  @Test
  void announcingOrAskingForAnUnknownFileFails() throws Exception {
    Manifest m = TestManifests.random(8, 3);
    assertThrows(UnknownFileException.class, () -> tracker().announce(announce(m, 0, Bitfield.full(3))));
    assertThrows(UnknownFileException.class, () -> tracker().peers(m.id(), 10));
  }

  @Test
  void peersAreListedWithTheirBitfieldsLeechersWithNothingYetIncluded() throws Exception {
    Manifest m = TestManifests.random(9, 10);
    tracker().register(m, "f");
    as(peer(1)).announce(announce(m, 1, chunks(10, 1)));
    as(peer(2)).announce(announce(m, 2, Bitfield.full(10)));
    as(peer(3)).announce(announce(m, 3, chunks(10, 0, 9, 4)));
    as(peer(4)).announce(announce(m, 4, Bitfield.empty(10)));
    Map<PeerId, PeerInfo> peers = new HashMap<>();
    tracker().peers(m.id(), 10).forEach(p -> peers.put(p.peer(), p));
    assertEquals(Set.of(peer(1), peer(2), peer(3), peer(4)), peers.keySet());
    assertEquals(Bitfield.full(10), peers.get(peer(2)).have());
    assertEquals(chunks(10, 0, 9, 4), peers.get(peer(3)).have());
    assertEquals(Bitfield.empty(10), peers.get(peer(4)).have());
    assertEquals(new PeerAddress("127.0.0.1", 7003), peers.get(peer(3)).address());
    assertEquals(clock.instant(), peers.get(peer(3)).lastSeen());
    assertEquals(2, tracker().peers(m.id(), 2).size(), "the limit bounds the list");
    assertEquals(List.of(), tracker().peers(m.id(), 0));
  }

  @Test
  void eachDownloaderGetsARandomSampleThatAlwaysHoldsASeeder() throws Exception {
    Manifest m = TestManifests.random(90, 8);
    tracker().register(m, "mesh");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(8)));
    for (int i = 2; i <= LIMITS.maxPeersPerFile(); i++) {
      as(peer(i)).announce(announce(m, i, chunks(8, i % 8)));
    }
    Set<Set<PeerId>> samples = new HashSet<>();
    for (int ask = 0; ask < 30; ask++) {
      List<PeerInfo> sample = tracker().peers(m.id(), 2);
      assertEquals(2, sample.size());
      Set<PeerId> ids = new HashSet<>();
      sample.forEach(p -> ids.add(p.peer()));
      assertTrue(ids.contains(peer(1)), "the seeder is in every sample: " + ids);
      samples.add(ids);
    }
    assertTrue(samples.size() > 1, "the samples differ, so leechers form a mesh rather than a star");
  }

  @Test
  void anAnnounceReplacesThePreviousBitfield() throws Exception {
    Manifest m = TestManifests.random(10, 9);
    tracker().register(m, "f");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(9)));
    as(peer(1)).announce(announce(m, 1, chunks(9, 8)));
    List<PeerInfo> peers = tracker().peers(m.id(), 10);
    assertEquals(1, peers.size());
    assertEquals(chunks(9, 8), peers.getFirst().have());
  }

  @Test
  void aBitfieldOfTheWrongSizeIsRefused() throws Exception {
    Manifest m = TestManifests.random(11, 9);
    tracker().register(m, "f");
    assertBadRequest(() -> as(peer(1)).announce(announce(m, 1, Bitfield.full(8))));
    assertEquals(List.of(), tracker().peers(m.id(), 10));
  }

  @Test
  void aPeerThatLeavesIsNoLongerListed() throws Exception {
    Manifest m = TestManifests.random(12, 2);
    tracker().register(m, "f");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(2)));
    as(peer(2)).announce(announce(m, 2, Bitfield.full(2)));
    as(peer(1)).leave(m.id(), peer(1));
    assertEquals(List.of(peer(2)), tracker().peers(m.id(), 10).stream().map(PeerInfo::peer).toList());
    as(peer(1)).leave(m.id(), peer(1));
    as(peer(1)).leave(TestManifests.random(13, 1).id(), peer(1));
  }

  @Test
  void peersPastTheCapAreRefusedBusyUntilOneLeaves() throws Exception {
    Manifest m = TestManifests.random(14, 1);
    tracker().register(m, "f");
    for (int i = 1; i <= LIMITS.maxPeersPerFile(); i++) {
      as(peer(i)).announce(announce(m, i, Bitfield.full(1)));
    }
    int extra = LIMITS.maxPeersPerFile() + 1;
    assertCode("busy", () -> as(peer(extra)).announce(announce(m, extra, Bitfield.full(1))));
    as(peer(1)).announce(announce(m, 1, Bitfield.full(1))); // a known peer may refresh
    as(peer(1)).leave(m.id(), peer(1));
    as(peer(extra)).announce(announce(m, extra, Bitfield.full(1)));
  }

  @Test
  void searchIgnoresCaseMatchesSubstringsAndIsBounded() throws Exception {
    for (int i = 0; i < 15; i++) {
      tracker().register(TestManifests.random(100 + i, 1), "Holiday-Photos-" + (char) ('a' + i) + ".zip");
    }
    tracker().register(TestManifests.random(200, 1), "notes.txt");
    assertEquals(List.of("notes.txt"), tracker().search("OTE", 50).stream().map(FileEntry::name).toList());
    List<FileEntry> photos = tracker().search("photos", 50);
    assertEquals(LIMITS.maxSearchResults(), photos.size(), "the tracker caps results");
    assertEquals("Holiday-Photos-a.zip", photos.getFirst().name(), "results are sorted by name");
    assertEquals(3, tracker().search("PHOTOS", 3).size());
    assertEquals(List.of(), tracker().search("nothing like it", 10));
    assertEquals(List.of(), tracker().search("photos", 0));
    assertEquals(LIMITS.maxSearchResults(), tracker().search("", 50).size(), "empty text matches every file");
  }

  @Test
  void searchCountsLivePeersThatHoldChunks() throws Exception {
    Manifest m = TestManifests.random(15, 4);
    tracker().register(m, "counted");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(4)));
    as(peer(2)).announce(announce(m, 2, chunks(4, 3)));
    as(peer(3)).announce(announce(m, 3, Bitfield.empty(4)));
    assertEquals(2, tracker().search("count", 10).getFirst().peers());
  }

  @Test
  void argumentsThatCannotBeRightAreRefused() throws Exception {
    Manifest m = TestManifests.random(16, 1);
    tracker().register(m, "f");
    assertThrows(IllegalArgumentException.class, () -> tracker().peers(m.id(), -1));
    assertThrows(IllegalArgumentException.class, () -> tracker().search("x", -1));
    assertThrows(IllegalArgumentException.class, () -> tracker().search("x".repeat(256), 1));
  }

  @Test
  void aSilentPeerIsForgottenAfterItsTimeToLive() throws Exception {
    Manifest m = TestManifests.random(17, 3);
    tracker().register(m, "ttl");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(3)));
    as(peer(2)).announce(announce(m, 2, Bitfield.full(3)));
    clock.advance(TTL.minusSeconds(1));
    as(peer(2)).announce(announce(m, 2, Bitfield.full(3)));
    assertEquals(2, tracker().peers(m.id(), 10).size(), "both still within their TTL");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(peer(2)), tracker().peers(m.id(), 10).stream().map(PeerInfo::peer).toList(),
        "peer 1 went silent a full TTL ago");
    assertEquals(1, tracker().search("ttl", 10).getFirst().peers());
  }

  @Test
  void aFileNobodyAnnouncesIsForgottenAfterTheTimeToLive() throws Exception {
    Manifest m = TestManifests.random(18, 3);
    tracker().register(m, "orphan");
    as(peer(1)).announce(announce(m, 1, Bitfield.full(3)));
    clock.advance(TTL.minusSeconds(1));
    assertTrue(tracker().manifest(m.id()).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(tracker().manifest(m.id()).isEmpty());
    assertEquals(List.of(), tracker().search("orphan", 10));
    assertThrows(UnknownFileException.class, () -> tracker().peers(m.id(), 10));
  }

  @Test
  void expiredPeersFreeTheirPlaceUnderTheCap() throws Exception {
    Manifest m = TestManifests.random(19, 1);
    tracker().register(m, "f");
    for (int i = 1; i <= LIMITS.maxPeersPerFile(); i++) {
      as(peer(i)).announce(announce(m, i, Bitfield.full(1)));
    }
    clock.advance(TTL);
    tracker().register(m, "f"); // keeps the file, not its peers
    as(peer(99)).announce(announce(m, 99, Bitfield.full(1)));
    assertEquals(Set.of(peer(99)), tracker().peers(m.id(), 10).stream().map(PeerInfo::peer).collect(Collectors.toSet()));
  }

  @Test
  void filesPastTheCapAreRefusedBusy() throws Exception {
    for (int i = 0; i < LIMITS.maxFiles(); i++) {
      tracker().register(TestManifests.random(1000 + i, 1), "f" + i);
    }
    assertCode("busy", () -> tracker().register(TestManifests.random(5000, 1), "late"));
    clock.advance(TTL);
    tracker().register(TestManifests.random(5000, 1), "late");
  }

  /** Refused as malformed: an in-process tracker throws IllegalArgumentException, a remote one bad_request. */
  static void assertBadRequest(Executable call) {
    try {
      call.execute();
      fail("expected the request to be refused");
    } catch (IllegalArgumentException expected) {
      // in process
    } catch (ProtocolException e) {
      assertEquals("bad_request", e.code(), e.getMessage());
    } catch (Throwable t) {
      fail("expected IllegalArgumentException or bad_request, got " + t, t);
    }
  }

  static void assertCode(String code, Executable call) {
    ProtocolException e = assertThrows(ProtocolException.class, call);
    assertEquals(code, e.code(), e.getMessage());
  }
}
