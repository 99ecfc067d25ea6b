package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.TestManifests;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a tracker makes of the progress peers report in their announces: completed downloads
 * (an entry seen incomplete, then complete), reported bytes credited by their growth, and the
 * optional wire fields' bounds.
 */
class ReportedProgressTest {
  private static final Duration TTL = Duration.ofSeconds(60);
  private final ManualClock clock = ManualClock.atEpoch2025();
  private final InMemoryTracker tracker = new InMemoryTracker(TrackerLimits.DEFAULTS.withPeerTtl(TTL), clock);
  private final Manifest m = TestManifests.random(7, 4);

  private void announce(int peer, Bitfield have, Announcement.Progress progress) throws Exception {
    tracker.announce(new Announcement(m.id(), new PeerId("peer-" + peer), new PeerAddress("127.0.0.1", 7000 + peer),
        have, progress));
  }

  private static Bitfield half() {
    return Bitfield.empty(4).with(0).with(1);
  }

  private SwarmStats swarm() throws Exception {
    return tracker.census().swarms().getFirst();
  }

  @Test
  void aDownloadCountsAsCompletedWhenAnEntrySeenIncompleteAnnouncesComplete() throws Exception {
    tracker.register(m, "model.bin");
    announce(1, Bitfield.full(4), new Announcement.Progress(0, 0, true)); // the seeder: complete from the start
    announce(2, Bitfield.empty(4), new Announcement.Progress(0, 0, false));
    announce(2, half(), new Announcement.Progress(0, 500, false));
    assertEquals(0, tracker.census().completed(), "nobody finished yet");
    announce(2, Bitfield.full(4), new Announcement.Progress(0, 1000, true));
    announce(2, Bitfield.full(4), new Announcement.Progress(300, 1000, true)); // seeding on: no second completion
    Census c = tracker.census();
    assertEquals(1, c.completed(), c.toString());
    assertEquals(1, swarm().completed());
    assertEquals(2, c.seeders());
    assertEquals(0, swarm().leechers());
    assertEquals(1000, c.bytesDownloaded(), "the first report is a baseline, then growth is credited");
    assertEquals(300, c.bytesUploaded());
  }

  @Test
  void aFullBitfieldWithoutTheWholeFileCheckIsNotYetCompleteWhenTheFieldSaysSo() throws Exception {
    tracker.register(m, "model.bin");
    announce(2, Bitfield.empty(4), new Announcement.Progress(0, 0, false));
    announce(2, Bitfield.full(4), new Announcement.Progress(0, 1000, false));
    assertEquals(0, tracker.census().completed());
    assertEquals(1, tracker.census().seeders(), "seeders count full bitfields, as peer lists do");
    announce(2, Bitfield.full(4), new Announcement.Progress(0, 1000, true));
    assertEquals(1, tracker.census().completed());
  }

  @Test
  void withoutProgressAFullBitfieldAfterAPartialOneIsACompletion() throws Exception {
    tracker.register(m, "model.bin");
    announce(2, half(), null);
    announce(2, Bitfield.full(4), null);
    Census c = tracker.census();
    assertEquals(1, c.completed());
    assertEquals(0, c.bytesDownloaded(), "nothing reported, nothing credited");
  }

  @Test
  void aCountThatGoesDownIsAClientThatRestartedAndAForgottenEntryStartsAfresh() throws Exception {
    tracker.register(m, "model.bin");
    announce(1, Bitfield.full(4), new Announcement.Progress(1000, 0, true));
    announce(1, Bitfield.full(4), new Announcement.Progress(1500, 0, true));
    announce(1, Bitfield.full(4), new Announcement.Progress(200, 0, true));
    assertEquals(700, tracker.census().bytesUploaded(), "500 of growth, then 200 since the restart");
    tracker.leave(m.id(), new PeerId("peer-1"));
    announce(1, Bitfield.full(4), new Announcement.Progress(900, 0, true));
    assertEquals(700, tracker.census().bytesUploaded(), "after a leave the next report is a new baseline");
    clock.advance(TTL.plusSeconds(1));
    tracker.register(m, "model.bin"); // the file went with its last peer
    announce(1, half(), new Announcement.Progress(950, 0, false));
    announce(1, Bitfield.full(4), new Announcement.Progress(950, 0, true));
    assertEquals(1, tracker.census().completed(), "an entry forgotten after its TTL is new again");
    assertEquals(700, tracker.census().bytesUploaded());
  }

  @Test
  void trackerTotalsSurviveTheFileThatEarnedThem() throws Exception {
    tracker.register(m, "model.bin");
    announce(2, half(), new Announcement.Progress(0, 0, false));
    announce(2, Bitfield.full(4), new Announcement.Progress(0, 4096, true));
    clock.advance(TTL.plusSeconds(1));
    Census c = tracker.census();
    assertEquals(0, c.files());
    assertEquals(1, c.completed(), "counters only grow, as Prometheus expects");
    assertEquals(4096, c.bytesDownloaded());
  }

  @Test
  void theOptionalFieldsTravelAndAreCheckedOnTheWire() throws Exception {
    Header base = Header.request("announce", 1).with("file", m.id().hex()).with("port", 7000).with("chunks", 4);
    TrackerRequest.Announce plain = (TrackerRequest.Announce) TrackerRequest.decode(base);
    assertNull(plain.progress(Bitfield.full(4)), "an announce without the fields reports nothing");

    TrackerRequest.Announce full = (TrackerRequest.Announce) TrackerRequest.decode(
        base.with("uploaded", 10L).with("downloaded", Announcement.Progress.MAX_BYTES).with("complete", false));
    assertEquals(new Announcement.Progress(10, Announcement.Progress.MAX_BYTES, false), full.progress(Bitfield.full(4)));
    assertEquals(full, TrackerRequest.decode(full.header(1)), "what the client encodes, the server decodes");

    TrackerRequest.Announce onlyBytes = (TrackerRequest.Announce) TrackerRequest.decode(base.with("downloaded", 5L));
    assertEquals(new Announcement.Progress(-1, 5, true), onlyBytes.progress(Bitfield.full(4)),
        "without complete, the bitfield says");

    for (Header bad : new Header[] {base.with("uploaded", -1L), base.with("downloaded", Announcement.Progress.MAX_BYTES + 1),
        base.with("uploaded", "12"), base.with("complete", "yes"), base.with("complete", 1L)}) {
      FrameException e = assertThrows(FrameException.class, () -> TrackerRequest.decode(bad), bad::toString);
      assertEquals("bad_request", e.code(), bad.toString());
    }
  }
}
