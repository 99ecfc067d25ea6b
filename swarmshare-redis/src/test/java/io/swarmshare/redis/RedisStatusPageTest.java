package io.swarmshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.RawHttp;
import io.swarmshare.testkit.RedisServer;
import io.swarmshare.testkit.TestFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracker on Redis with its HTTP window: clients that report progress in their announces work
 * unchanged (the store ignores the fields), and the page and metrics show what the store can tell.
 */
class RedisStatusPageTest {
  @TempDir Path dir;

  @Test
  void theStatusPageAndMetricsWorkOverRedisWithFewerFigures() throws Exception {
    Path file = TestFiles.random(dir.resolve("share"), "on-redis.bin", 1024 * 1024 + 3, 31);
    try (RedisServer redis = RedisServer.start();
        RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").http(0)
            .store(RedisTracker.connect(redis.uri())).start();
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start();
        SwarmClient leecher = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      leecher.download(shared.id(), dir.resolve("out")).await();
      Await.until(() -> tracker.stats().swarms().stream().anyMatch(s -> s.peers() == 2), Duration.ofSeconds(10),
          () -> "both peers listed: " + tracker.stats());

      TrackerStats stats = tracker.stats();
      assertEquals(-1, stats.files(), "Redis cannot count cheaply: " + stats);
      assertEquals(-1, stats.completed());
      assertEquals(-1, stats.swarms().getFirst().seeders());

      InetSocketAddress http = tracker.httpAddress().orElseThrow();
      String metrics = RawHttp.request(http, "GET", "/metrics").body();
      assertTrue(metrics.contains("swarmshare_tracker_file_peers{file=\"" + shared.id().hex() + "\",name=\"on-redis.bin\"} 2"),
          metrics);
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("swarmshare_tracker_requests_total{type=\"announce\"} ")),
          metrics);
      assertFalse(metrics.contains("swarmshare_tracker_completed_downloads_total "), "unknown, so left out");
      assertTrue(RawHttp.request(http, "GET", "/").body().contains("on-redis.bin"));
      assertEquals(200, RawHttp.request(http, "GET", "/healthz").status());
    }
  }
}
