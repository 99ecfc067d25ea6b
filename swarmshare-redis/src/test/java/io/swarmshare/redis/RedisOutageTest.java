package io.swarmshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.RedisServer;
import io.swarmshare.testkit.TestManifests;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Redis going away under a tracker, and coming back: clear errors, no hang, recovery. */
class RedisOutageTest {
  @Test
  void callsFailFastWhileRedisIsAwayAndWorkAgainWhenItIsBack() throws Exception {
    try (RedisServer redis = RedisServer.start(); RedisTracker tracker = RedisTracker.connect(redis.uri())) {
      Manifest m = TestManifests.random(7, 4);
      tracker.register(m, "before.bin");
      redis.kill();

      long t0 = System.nanoTime();
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, () -> tracker.search("", 10));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(e.getMessage().contains("Redis at redis://127.0.0.1:" + redis.port()), e.getMessage());
      assertTrue(millis < 2 * RedisTracker.DEFAULT_COMMAND_TIMEOUT.toMillis() + 1_000,
          "failed in " + millis + " ms, not hung");

      redis.restart(); // empty: no persistence
      Await.until(() -> {
        try {
          tracker.register(m, "after.bin");
          return true;
        } catch (Exception notYet) {
          return false;
        }
      }, Duration.ofSeconds(30), () -> "the tracker reconnected to the restarted Redis");
      assertEquals("after.bin", tracker.search("", 10).getFirst().name());
    }
  }

  @Test
  void aRedisThatIsNotThereIsOneClearError() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class,
        () -> RedisTracker.connect("redis://127.0.0.1:" + port));
    assertTrue(e.getMessage().startsWith("cannot reach Redis at 127.0.0.1:" + port + " (connection refused)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("is redis-server running there?"), e.getMessage());
  }

  @Test
  void aUriThatIsNotRedisIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisTracker.connect("http://127.0.0.1:6379"));
    assertTrue(e.getMessage().contains("expected redis://HOST:PORT"), e.getMessage());
  }
}
