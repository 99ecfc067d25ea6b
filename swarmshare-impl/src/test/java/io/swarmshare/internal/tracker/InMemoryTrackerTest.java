package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.TestManifests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryTrackerTest extends TrackerContract {
  private InMemoryTracker tracker;

  @Override
  void start(TrackerLimits limits, ManualClock clock) {
    tracker = new InMemoryTracker(limits, clock);
  }

  @Override
  Tracker as(PeerId peer) {
    return tracker;
  }

  @Override
  void stop() {
    tracker.close();
  }

  @Test
  void storedBytesReturnToZeroWhenEverythingExpires() throws Exception {
    Manifest m = TestManifests.random(1, 100);
    tracker.register(m, "a");
    tracker.register(m, "b");
    tracker.announce(announce(m, 1, Bitfield.full(100)));
    tracker.announce(announce(m, 2, Bitfield.full(100)));
    assertTrue(tracker.storedBytes() >= m.canonicalLength() + 2 * 13);
    tracker.leave(m.id(), peer(2));
    clock.advance(TTL);
    tracker.search("", 10);
    assertEquals(0, tracker.storedBytes());
  }

  @Test
  void theStoredBytesCapRefusesWhatWouldPassIt() throws Exception {
    InMemoryTracker small = new InMemoryTracker(new TrackerLimits(TTL, 100, 4, 10, 100, 10, 10, 10_000), clock);
    small.register(TestManifests.random(2, 100), "fits"); // 3.3 KB
    small.register(TestManifests.random(3, 100), "fits too");
    assertCode("busy", () -> small.register(TestManifests.random(4, 200), "too big"));
  }

  @Test
  void aClosedTrackerSaysSo() throws Exception {
    tracker.close();
    assertThrows(TrackerUnavailableException.class, () -> tracker.search("", 1));
  }

  @Test
  void concurrentAnnouncesKeepEveryPeerAndTheCountsExact() throws Exception {
    InMemoryTracker t = new InMemoryTracker(new TrackerLimits(TTL, 100, 4, 1000, 10_000, 100, 10, 64L << 20), clock);
    List<Manifest> files = new ArrayList<>();
    for (int f = 0; f < 8; f++) {
      files.add(TestManifests.random(50 + f, 64));
      t.register(files.get(f), "file-" + f);
    }
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < 200; p++) {
        int peer = p;
        done.add(pool.submit(() -> {
          for (int round = 0; round < 20; round++) {
            Manifest m = files.get((peer + round) % files.size());
            t.announce(announce(m, peer, Bitfield.full(64)));
            if (round % 3 == 0) {
              t.leave(m.id(), peer(peer));
            }
            t.search("file", 10);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    // The model: a peer is listed for a file iff its last action on it was an announce.
    for (int f = 0; f < files.size(); f++) {
      List<String> expected = new ArrayList<>();
      for (int p = 0; p < 200; p++) {
        int last = -1;
        for (int round = 0; round < 20; round++) {
          if ((p + round) % files.size() == f) {
            last = round;
          }
        }
        if (last >= 0 && last % 3 != 0) {
          expected.add(peer(p).value());
        }
      }
      List<String> listed = new ArrayList<>(t.peers(files.get(f).id(), 100).stream()
          .map(PeerInfo::peer).map(PeerId::value).toList());
      assertEquals(Math.min(100, expected.size()), listed.size(), "file " + f);
      assertTrue(expected.containsAll(listed), "file " + f);
      assertEquals(expected.size(), t.search("file-" + f, 10).getFirst().peers(), "file " + f);
    }
  }
}
