package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.redis.RedisTracker;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.RedisServer;
import io.swarmshare.testkit.TestManifests;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every key the Redis store writes carries a TTL, so a file and its peers that go quiet are
 * removed by Redis itself; the announce skips refreshing TTLs between refreshes, and must still
 * give one at once to a key its own write creates.
 */
class RedisKeyExpiryTest {
  /**
   * Counts the keys without a TTL (PTTL -1), as an inline reply ":N"; the catalog is the one key
   * meant to stay (docs/REDIS.md: its entries are dropped by the searches that meet them).
   */
  private static final String IMMORTAL_KEYS = "EVAL \"local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do "
      + "if redis.call('PTTL', k) == -1 and string.sub(k, -8) ~= ':catalog' then n = n + 1 end end return n\" 0";

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void keysCreatedBetweenRefreshesGetATtlAtOnce() throws Exception {
    redis.command("FLUSHALL");
    ManualClock clock = ManualClock.atEpoch2025();
    Manifest m = TestManifests.random(7, 8);
    try (RedisTracker t = RedisTracker.connect(redis.uri(), RedisTracker.DEFAULT_PREFIX, TrackerLimits.DEFAULTS, clock)) {
      t.register(m, "expiry.bin");
      PeerId a = new PeerId("peer-a");
      PeerAddress addr = new PeerAddress("127.0.0.1", 7001);
      // Holding nothing: the file's holder and seeder sets are not created yet.
      t.announce(new Announcement(m.id(), a, addr, Bitfield.empty(8)));
      assertEquals(":0", redis.command(IMMORTAL_KEYS));
      // A second later, inside the refresh window: the holder set is created by this announce.
      clock.advance(Duration.ofSeconds(1));
      t.announce(new Announcement(m.id(), a, addr, Bitfield.empty(8).with(3)));
      assertEquals(":0", redis.command(IMMORTAL_KEYS));
      // And the seeder set, by a complete bitfield.
      clock.advance(Duration.ofSeconds(1));
      t.announce(new Announcement(m.id(), a, addr, Bitfield.full(8)));
      assertEquals(":0", redis.command(IMMORTAL_KEYS));
      // Another peer keeps the file alive while the first one expires and is pruned, which empties
      // (and so deletes) the holder and seeder sets; a new seeder then creates them again.
      PeerId c = new PeerId("peer-c");
      PeerAddress cAddr = new PeerAddress("127.0.0.1", 7003);
      clock.advance(Duration.ofSeconds(40));
      t.announce(new Announcement(m.id(), c, cAddr, Bitfield.empty(8)));
      clock.advance(Duration.ofSeconds(30));
      t.announce(new Announcement(m.id(), c, cAddr, Bitfield.empty(8)));
      assertEquals(":0", redis.command("EXISTS " + RedisTracker.DEFAULT_PREFIX + ":{" + m.id().hex() + "}:s"));
      clock.advance(Duration.ofSeconds(1));
      t.announce(new Announcement(m.id(), new PeerId("peer-b"), new PeerAddress("127.0.0.1", 7002), Bitfield.full(8)));
      assertEquals(":0", redis.command(IMMORTAL_KEYS));
      assertEquals(2, t.peers(m.id(), 10).size());
    }
  }
}
