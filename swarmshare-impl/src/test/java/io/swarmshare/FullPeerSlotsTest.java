package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.testkit.ForwardingTracker;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose peer slots are all taken stops asking the tracker for peers it could not use,
 * and keeps announcing its progress. Sixteen seeders fill the sixteen slots; the download is held
 * to a rate that makes it last many tracker intervals.
 */
class FullPeerSlotsTest {
  private static final int SLOTS = 16; // DownloadSettings.DEFAULTS.maxPeers()

  @TempDir
  Path dir;

  @Test
  void aDownloadWithEverySlotTakenDoesNotAskForPeersEachInterval() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "fleet.bin", 2 * 1024 * 1024, 31);
      SharedFile shared = null;
      for (int i = 0; i < SLOTS; i++) {
        shared = swarm.client("seeder-" + i).share(file);
      }
      AtomicInteger peerQueries = new AtomicInteger();
      AtomicInteger announces = new AtomicInteger();
      ForwardingTracker counting = new ForwardingTracker(swarm.tracker()) {
        @Override
        public List<PeerInfo> peers(FileId f, int limit) throws SwarmException {
          peerQueries.incrementAndGet();
          return super.peers(f, limit);
        }

        @Override
        public void announce(io.swarmshare.api.Announcement a) throws SwarmException {
          announces.incrementAndGet();
          super.announce(a);
        }
      };
      // 2 MiB at 1 MiB/s: about two seconds, twenty tracker intervals of 100 ms.
      try (SwarmClient leecher = SwarmShare.client().tracker(counting).bind("127.0.0.1")
          .trackerInterval(Duration.ofMillis(100)).maxDownloadRate(1024 * 1024).start()) {
        DownloadResult r = leecher.download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      }
      assertTrue(announces.get() >= 5, "progress is still announced each interval: " + announces.get());
      // Before: one query per interval, about twenty. Now the first fills the slots; a slot that a
      // slow connection left open for a tick may cost one or two more.
      assertTrue(peerQueries.get() <= 5, "peer queries with every slot taken: " + peerQueries.get()
          + " (announces: " + announces.get() + ")");
    }
  }
}
