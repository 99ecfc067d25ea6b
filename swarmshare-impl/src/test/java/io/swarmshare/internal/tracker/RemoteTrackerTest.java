package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.TestManifests;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The contract over a real socket: a {@link RemoteTracker} per peer, one {@link TrackerServer}. */
class RemoteTrackerTest extends TrackerContract {
  static final RemoteTracker.Settings FAST = new RemoteTracker.Settings(
      Duration.ofSeconds(10), Duration.ofSeconds(10), 3, Duration.ofMillis(20),
      io.swarmshare.internal.protocol.Limits.DEFAULTS);

  private InMemoryTracker backing;
  private TrackerServer server;
  private final Map<PeerId, RemoteTracker> clients = new HashMap<>();

  @Override
  void start(TrackerLimits limits, ManualClock clock) throws Exception {
    start(limits, clock, ServerSettings.defaults());
  }

  void start(TrackerLimits limits, ManualClock clock, ServerSettings settings) throws Exception {
    backing = new InMemoryTracker(limits, clock);
    server = TrackerServer.start(backing, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), settings);
  }

  @Override
  Tracker as(PeerId peer) {
    return clients.computeIfAbsent(peer, p -> client(p));
  }

  RemoteTracker client(PeerId p) {
    RemoteTracker t = new RemoteTracker(address(), new TcpTransport(), p, FAST);
    opened.add(t);
    return t;
  }

  PeerAddress address() {
    return new PeerAddress("127.0.0.1", server.address().getPort());
  }

  @Override
  void stop() {
    server.close();
    backing.close();
  }

  @Test
  void theHostOfAnAnnouncementIsTheSocketsNotTheOneClaimed() throws Exception {
    Manifest m = TestManifests.random(1, 2);
    tracker().register(m, "f");
    as(peer(1)).announce(new Announcement(m.id(), peer(1), new PeerAddress("203.0.113.9", 6881), Bitfield.full(2)));
    PeerInfo listed = backing.peers(m.id(), 10).getFirst();
    assertEquals(new PeerAddress("127.0.0.1", 6881), listed.address());
  }

  @Test
  void aClientSpeaksOnlyForItsOwnPeer() throws Exception {
    Manifest m = TestManifests.random(2, 2);
    tracker().register(m, "f");
    assertThrows(IllegalArgumentException.class, () -> as(peer(1)).announce(announce(m, 2, Bitfield.full(2))));
    assertThrows(IllegalArgumentException.class, () -> as(peer(1)).leave(m.id(), peer(2)));
  }

  @Test
  void anUnreachableTrackerIsReportedInOneLineThatSaysWhatToCheck() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (RemoteTracker t = new RemoteTracker(new PeerAddress("127.0.0.1", port), new TcpTransport(), peer(1), FAST)) {
      TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, () -> t.search("x", 1));
      assertEquals("tracker 127.0.0.1:" + port + " is not reachable (connection refused); is it running?", e.getMessage());
    }
  }

  @Test
  void aConnectionTheServerDroppedIsReopenedTransparently() throws Exception {
    server.close();
    server = TrackerServer.start(backing, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0),
        ServerSettings.defaults().withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(5)));
    RemoteTracker t = client(peer(1));
    t.ping();
    Await.until(() -> server.openConnections() == 0, Duration.ofSeconds(5), () -> "server never closed the idle connection");
    t.ping();
    assertEquals(List.of(), t.search("", 10));
  }

  @Test
  void aBusyTrackerIsUnavailableNotBroken() throws Exception {
    server.close();
    server = TrackerServer.start(backing, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0),
        ServerSettings.defaults().withMaxConnections(1));
    RemoteTracker first = client(peer(1));
    first.ping();
    TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, () -> client(peer(2)).ping());
    assertTrue(e.getMessage().contains("busy"), e.getMessage());
    first.ping();
  }

  @Test
  void requestsFromManyThreadsPipelineOnOneConnection() throws Exception {
    List<Manifest> files = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      files.add(TestManifests.random(300 + i, 8));
      tracker().register(files.get(i), "pipelined-" + i);
    }
    RemoteTracker shared = (RemoteTracker) tracker();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Manifest m = files.get(i % files.size());
        String name = "pipelined-" + (i % files.size());
        answers.add(pool.submit(() -> {
          List<FileEntry> found = shared.search(name, 5);
          return found.stream().anyMatch(e -> e.id().equals(m.id()) && e.name().equals(name))
              && shared.manifest(m.id()).orElseThrow().equals(m);
        }));
      }
      for (Future<Boolean> a : answers) {
        assertTrue(a.get(), "every reply reaches the thread that asked");
      }
    }
    assertEquals(1, server.openConnections(), "one long-lived connection");
  }

  @Test
  void aClosedClientRefusesFurtherCalls() throws Exception {
    RemoteTracker t = client(peer(1));
    t.ping();
    t.close();
    assertThrows(IllegalStateException.class, t::ping);
    Await.until(() -> server.openConnections() == 0, Duration.ofSeconds(5), () -> "connection not closed");
  }
}
