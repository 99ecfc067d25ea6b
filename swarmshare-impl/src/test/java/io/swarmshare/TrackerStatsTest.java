package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.ClientStats;
import io.swarmshare.api.FileId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stats of a tracker and of clients, read after a real share and download on loopback. */
class TrackerStatsTest {
  @TempDir Path dir;

  @Test
  void aTrackerCountsFilesPeersRequestsAndErrors() throws Exception {
    byte[] data = new byte[1024 * 1024];
    new Random(5).nextBytes(data);
    Path file = Files.write(dir.resolve("f.bin"), data);
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
         SwarmClient seeder = SwarmShare.client().tracker("127.0.0.1:" + tracker.address().port()).bind("127.0.0.1")
             .start();
         SwarmClient leecher = SwarmShare.client().tracker("127.0.0.1:" + tracker.address().port()).bind("127.0.0.1")
             .start()) {
      SharedFile shared = seeder.share(file);
      leecher.download(shared.id(), Files.createDirectories(dir.resolve("out"))).await();
      assertThrows(UnknownFileException.class,
          () -> leecher.download(FileId.parse("ab".repeat(32)), dir.resolve("out")).await());
      Await.until(() -> tracker.stats().seeders() == 2, Duration.ofSeconds(10),
          () -> "the leecher announced its complete copy: " + tracker.stats());

      TrackerStats t = tracker.stats();
      assertEquals(1, t.files(), t.toString());
      assertEquals(2, t.peers(), t.toString());
      assertEquals(2, t.connections(), "one tracker connection per client: " + t);
      assertEquals(1L, t.requests().get("register"), t.toString());
      assertTrue(t.requests().get("announce") >= 2, t.toString());
      assertTrue(t.errors().get("not_found") >= 1, t.toString());

      ClientStats l = leecher.stats();
      assertEquals(data.length, l.bytesDownloaded());
      assertEquals(1, l.completedDownloads());
      assertEquals(0, l.failedDownloads(), "an unknown id is refused before any download starts");
      assertEquals(1, l.sharedFiles());
      assertEquals(data.length, seeder.stats().bytesUploaded());
    }
  }
}
