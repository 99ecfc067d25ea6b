package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.Chromium;
import io.swarmshare.testkit.TestFiles;
import io.swarmshare.testkit.TestManifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless browser: it renders a real swarm's file with its peer
 * count, and a hostile file name stays text.
 */
class TrackerStatusPageBrowserTest {
  @TempDir Path dir;

  @Test
  void theBrowserShowsTheSharedFileAndItsPeersAndNoInjectedMarkup() throws Exception {
    Chromium chromium = Chromium.find(dir);
    Path file = TestFiles.random(dir.resolve("share"), "fleet-model.bin", 2 * 1024 * 1024, 23);
    String hostile = "<img src=x onerror=\"document.title='pwned'\">.bin";
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").http(0).start();
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start();
        SwarmClient leecher = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      leecher.download(shared.id(), dir.resolve("out")).await();
      Manifest m = TestManifests.random(5, 2);
      tracker.register(m, hostile);
      tracker.announce(new Announcement(m.id(), new PeerId("p1"), new PeerAddress("127.0.0.1", 7001), Bitfield.full(2)));
      Await.until(() -> tracker.stats().seeders() == 3, Duration.ofSeconds(10), () -> tracker.stats().toString());

      String dom = chromium.dumpDom("http://127.0.0.1:" + tracker.httpAddress().orElseThrow().getPort() + "/");

      Pattern row = Pattern.compile("<tr data-file=\"" + shared.id().hex() + "\"><td class=\"name\"[^>]*>fleet-model\\.bin"
          + "<small>.*?</small></td>.*?<td class=\"peers\"[^>]*>2</td>.*?<td class=\"completed\"[^>]*>1</td>");
      assertTrue(row.matcher(dom).find(), "the page shows the file, its 2 peers and 1 completed download:\n" + dom);
      assertTrue(dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;.bin"),
          "the hostile name shows as text:\n" + dom);
      assertFalse(dom.contains("<img"), "no element came from a name");
      assertFalse(dom.contains("pwned</title>"), "no script came from a name");
    }
  }
}
