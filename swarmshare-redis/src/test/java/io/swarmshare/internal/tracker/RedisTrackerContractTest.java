package io.swarmshare.internal.tracker;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.Tracker;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.redis.RedisTracker;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.RedisServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The tracker contract against the Redis store on a real {@code redis-server}: called in
 * process, and served by a {@link TrackerServer} to a {@link RemoteTracker} per peer.
 */
class RedisTrackerContractTest {
  static RedisServer redis;

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

  static RedisTracker fresh(TrackerLimits limits, ManualClock clock) throws Exception {
    redis.command("FLUSHALL");
    return RedisTracker.connect(redis.uri(), RedisTracker.DEFAULT_PREFIX, limits, clock);
  }

  @Nested
  class InProcess extends TrackerContract {
    private RedisTracker tracker;

    @Override
    void start(TrackerLimits limits, ManualClock clock) throws Exception {
      tracker = fresh(limits, clock);
    }

    @Override
    Tracker as(PeerId peer) {
      return tracker;
    }

    @Override
    void stop() {
      tracker.close();
    }
  }

  @Nested
  class Served extends TrackerContract {
    private RedisTracker backing;
    private TrackerServer server;
    private final Map<PeerId, RemoteTracker> clients = new HashMap<>();

    @Override
    void start(TrackerLimits limits, ManualClock clock) throws Exception {
      backing = fresh(limits, clock);
      server = TrackerServer.start(backing, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0),
          ServerSettings.defaults());
    }

    @Override
    Tracker as(PeerId peer) {
      return clients.computeIfAbsent(peer, p -> {
        RemoteTracker t = new RemoteTracker(new PeerAddress("127.0.0.1", server.address().getPort()),
            new TcpTransport(), p, RemoteTrackerTest.FAST);
        opened.add(t);
        return t;
      });
    }

    @Override
    void stop() {
      server.close();
      backing.close();
    }
  }
}
