package io.swarmshare.internal.tracker;

import io.swarmshare.redis.RedisTracker;
import io.swarmshare.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The per-address contract (bindings, quotas, quick expiry) on the Redis store, on a real redis-server. */
class RedisAddressQuotaTest extends AddressQuotaContract<RedisTracker> {
  private static RedisServer redis;
  private final List<RedisTracker> made = new ArrayList<>();

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

  @Override
  protected RedisTracker make(TrackerLimits limits) throws Exception {
    redis.command("FLUSHALL");
    RedisTracker t = RedisTracker.connect(redis.uri(), RedisTracker.DEFAULT_PREFIX, limits, clock);
    made.add(t);
    return t;
  }

  @AfterEach
  void closeAll() {
    made.forEach(RedisTracker::close);
  }
}
