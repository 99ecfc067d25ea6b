package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.internal.protocol.ConnectionLimits;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.TestManifests;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand clients, each on its own connection held open the whole time, announce and then
 * query one tracker. Every answer is checked against what was announced, and the JVM's platform
 * thread count stays small: connections cost virtual threads, not platform threads.
 */
class TrackerServerLoadTest {
  static final int CLIENTS = 1000;
  static final int FILES = 10;
  static final int CHUNKS = 40;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aThousandConcurrentClientsAreAllAnsweredCorrectlyOnFewPlatformThreads() throws Exception {
    int platformBefore = platformThreads();
    InMemoryTracker tracker = new InMemoryTracker(TrackerLimits.DEFAULTS, java.time.InstantSource.system());
    // A thousand machines simulated on one address: lift the caps that hold one address to its share.
    ServerSettings settings = ServerSettings.defaults()
        .withConnections(ConnectionLimits.TRACKER.withMaxConnections(CLIENTS + 50).withMaxPerAddress(CLIENTS + 50))
        .withAnnouncesPerSecond(CLIENTS * 10);
    try (TrackerServer server = TrackerServer.start(tracker, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), settings)) {
      PeerAddress address = new PeerAddress("127.0.0.1", server.address().getPort());
      List<Manifest> files = new ArrayList<>();
      for (int f = 0; f < FILES; f++) {
        files.add(TestManifests.random(f, CHUNKS));
        tracker.register(files.get(f), "load-" + f + ".bin");
      }
      RemoteTracker.Settings patient = new RemoteTracker.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), 5, Duration.ofMillis(50), Limits.DEFAULTS);
      CountDownLatch allAnnounced = new CountDownLatch(CLIENTS);
      CountDownLatch allChecked = new CountDownLatch(CLIENTS);
      AtomicInteger peakConnections = new AtomicInteger();
      AtomicInteger peakPlatformThreads = new AtomicInteger();
      try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          int n = i;
          results.add(clients.submit(() -> {
            try (RemoteTracker t = new RemoteTracker(address, new TcpTransport(), peer(n), patient)) {
              Manifest m = files.get(n % FILES);
              t.announce(new Announcement(m.id(), peer(n), new PeerAddress("127.0.0.1", 10_000 + n), have(n)));
              allAnnounced.countDown();
              allAnnounced.await();
              peakConnections.accumulateAndGet(server.openConnections(), Math::max);
              peakPlatformThreads.accumulateAndGet(platformThreads(), Math::max);
              String problem = check(t, files, n);
              allChecked.countDown();
              allChecked.await(); // hold the connection open until everyone has asked
              return problem;
            }
          }));
        }
        for (Future<String> r : results) {
          assertEquals("", r.get(), "every client gets correct answers");
        }
      }
      assertEquals(CLIENTS, peakConnections.get(), "all clients were connected at once");
      int grown = peakPlatformThreads.get() - platformBefore;
      assertTrue(grown < 32, "platform threads grew by " + grown + " for " + CLIENTS
          + " connections; they should be virtual");
    }
  }

  /** Live platform threads: {@link Thread#getAllStackTraces()} leaves virtual threads out. */
  static int platformThreads() {
    return Thread.getAllStackTraces().size();
  }

  static PeerId peer(int n) {
    return new PeerId("load-" + n);
  }

  /** Chunk i is set for client n when (i + n) % 3 != 0: different per client, checkable by all. */
  static Bitfield have(int n) {
    Bitfield b = Bitfield.empty(CHUNKS);
    for (int i = 0; i < CHUNKS; i++) {
      if ((i + n) % 3 != 0) {
        b = b.with(i);
      }
    }
    return b;
  }

  /** Empty if the client's view of the tracker is right, else what is wrong. */
  static String check(RemoteTracker t, List<Manifest> files, int n) throws Exception {
    Manifest m = files.get(n % FILES);
    List<PeerInfo> peers = t.peers(m.id(), Limits.MAX_PEERS_PER_REPLY);
    if (peers.size() != CLIENTS / FILES) {
      return "client " + n + ": " + peers.size() + " peers for file " + (n % FILES);
    }
    Map<PeerId, PeerInfo> byId = peers.stream().collect(Collectors.toMap(PeerInfo::peer, p -> p));
    for (int k = n % FILES; k < CLIENTS; k += FILES) {
      PeerInfo p = byId.get(peer(k));
      if (p == null || !p.have().equals(have(k)) || p.address().port() != 10_000 + k
          || !p.address().host().equals("127.0.0.1")) {
        return "client " + n + ": wrong entry for peer " + k + ": " + p;
      }
    }
    List<FileEntry> found = t.search("load-" + (n % FILES) + ".", 5);
    if (found.size() != 1 || found.getFirst().peers() != CLIENTS / FILES || !found.getFirst().id().equals(m.id())) {
      return "client " + n + ": search says " + found;
    }
    return "";
  }

}
