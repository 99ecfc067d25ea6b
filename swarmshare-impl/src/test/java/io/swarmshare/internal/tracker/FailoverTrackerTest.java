package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.TestManifests;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several tracker nodes used as one: real servers on loopback, one of them stopped under the client. */
class FailoverTrackerTest {
  private static final RemoteTracker.Settings ONCE = new RemoteTracker.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), 1,
      Duration.ofMillis(10), Limits.DEFAULTS);
  private static final Duration REST = Duration.ofSeconds(30);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final AtomicLong now = new AtomicLong();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private TrackerServer node(int port) throws IOException {
    TrackerServer s = TrackerServer.start(new InMemoryTracker(TrackerLimits.DEFAULTS, java.time.InstantSource.system()),
        new TcpTransport(), new InetSocketAddress("127.0.0.1", port), ServerSettings.defaults());
    opened.add(s);
    return s;
  }

  private FailoverTracker client(TrackerServer... nodes) {
    List<RemoteTracker> remotes = new ArrayList<>();
    for (TrackerServer n : nodes) {
      remotes.add(new RemoteTracker(address(n), new TcpTransport(), PeerId.random(), ONCE));
    }
    FailoverTracker t = new FailoverTracker(remotes, REST, now::get);
    opened.add(t);
    return t;
  }

  /** A client of a node that is no tracker (at {@code port}) first, then of {@code second}. */
  private FailoverTracker client(int port, TrackerServer second, RemoteTracker.Settings settings) {
    FailoverTracker t = new FailoverTracker(List.of(
        new RemoteTracker(new PeerAddress("127.0.0.1", port), new TcpTransport(), PeerId.random(), settings),
        new RemoteTracker(address(second), new TcpTransport(), PeerId.random(), settings)), REST, now::get);
    opened.add(t);
    return t;
  }

  private static PeerAddress address(TrackerServer s) {
    return new PeerAddress("127.0.0.1", s.address().getPort());
  }

  private static void register(TrackerServer node, Manifest m, String name) throws Exception {
    try (RemoteTracker t = new RemoteTracker(address(node), new TcpTransport(), PeerId.random(), ONCE)) {
      t.register(m, name);
    }
  }

  @Test
  void requestsGoToTheFirstNodeAndMoveOnWhenItStops() throws Exception {
    TrackerServer a = node(0);
    TrackerServer b = node(0);
    Manifest m = TestManifests.random(1, 3);
    register(a, m, "on-a.bin");
    register(b, m, "on-b.bin");
    FailoverTracker t = client(a, b);

    assertEquals(List.of("on-a.bin"), names(t.search("", 10)));
    assertEquals(address(a), t.current().orElseThrow());

    a.close();
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)), "the request after A stopped goes to B");
    assertEquals(address(b), t.current().orElseThrow());
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)), "A rests: B answers without A being tried");
  }

  @Test
  void aRestedNodeIsTriedFirstAgainOnceItIsBack() throws Exception {
    TrackerServer a = node(0);
    int portA = a.address().getPort();
    TrackerServer b = node(0);
    Manifest m = TestManifests.random(2, 3);
    register(b, m, "on-b.bin");
    FailoverTracker t = client(a, b);
    a.close();
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));

    TrackerServer again = node(portA);
    register(again, m, "on-a-again.bin");
    now.addAndGet(REST.toNanos() - 1);
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)), "still resting");
    now.addAndGet(2);
    assertEquals(List.of("on-a-again.bin"), names(t.search("", 10)), "rest over: the first node is preferred");
    assertEquals(address(again), t.current().orElseThrow());
  }

  @Test
  void aNodeThatAcceptsButNeverGreetsIsLeftAfterTheConnectTimeout() throws Exception {
    // A hung node (stopped with SIGSTOP, or stuck): the kernel still accepts its connections, but
    // no hello ever comes. The client gives up after its connect timeout, not its much longer
    // request timeout, and asks the next node.
    ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    opened.add(hung);
    TrackerServer b = node(0);
    Manifest m = TestManifests.random(5, 3);
    register(b, m, "on-b.bin");
    RemoteTracker.Settings quickToConnect = new RemoteTracker.Settings(Duration.ofMillis(300), Duration.ofMinutes(2), 1,
        Duration.ofMillis(10), Limits.DEFAULTS);
    FailoverTracker t = client(hung.getLocalPort(), b, quickToConnect);
    List<FileEntry> found = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> t.search("", 10),
        "the hung node held the request for its 2-minute request timeout");
    assertEquals(List.of("on-b.bin"), names(found));
    assertEquals(address(b), t.current().orElseThrow());
  }

  @Test
  void aNodeThatKeepsFailingRestsTwiceAsLongEachTime() throws Exception {
    // Node A accepts and hangs up at once, counting each try; B answers.
    AtomicInteger tries = new AtomicInteger();
    ServerSocket dropping = dropping(tries);
    TrackerServer b = node(0);
    Manifest m = TestManifests.random(6, 3);
    register(b, m, "on-b.bin");
    FailoverTracker t = client(dropping.getLocalPort(), b, ONCE);

    long rest = REST.toNanos();
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    int afterFirst = tries.get();
    assertTrue(afterFirst > 0, "A was tried first");
    now.addAndGet(rest + 1);
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    int afterSecond = tries.get();
    assertTrue(afterSecond > afterFirst, "after its first rest A was tried again");

    now.addAndGet(rest + 1);
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    assertEquals(afterSecond, tries.get(), "the second rest is twice the first");
    now.addAndGet(rest);
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    int afterThird = tries.get();
    assertTrue(afterThird > afterSecond, "tried again once the doubled rest is over");

    // Rests stop growing at 2^MAX_DOUBLINGS times the first.
    for (int failures = 3; failures <= FailoverTracker.MAX_DOUBLINGS + 2; failures++) {
      int before = tries.get();
      now.addAndGet((rest << Math.min(failures - 1, FailoverTracker.MAX_DOUBLINGS)) - 1);
      assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
      assertEquals(before, tries.get(), "still resting after failure " + failures);
      now.addAndGet(2);
      assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
      assertTrue(tries.get() > before, "tried again after failure " + failures);
    }
  }

  @Test
  void failuresDuringOneOutageLengthenNoRest() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    ServerSocket dropping = dropping(tries);
    TrackerServer b = node(0);
    int portB = b.address().getPort();
    FailoverTracker t = client(dropping.getLocalPort(), b, ONCE);
    b.close();

    // Both nodes down: each request tries both, the second while both rest. One outage, one rest.
    assertThrows(TrackerUnavailableException.class, () -> t.search("", 10));
    assertThrows(TrackerUnavailableException.class, () -> t.search("", 10));
    TrackerServer again = node(portB);
    Manifest m = TestManifests.random(7, 3);
    register(again, m, "on-b.bin");

    long rest = REST.toNanos();
    now.addAndGet(rest + 1);
    int before = tries.get();
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    assertTrue(tries.get() > before, "after one rest A is tried first again");
    // That was A's second failure: 2 × the rest, not more.
    now.addAndGet(2 * rest + 1);
    before = tries.get();
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
    assertTrue(tries.get() > before, "A rested twice the first rest, not longer");
  }

  @Test
  void aNodeThatAnswersAsALastResortIsFirstInLineAgain() throws Exception {
    TrackerServer a = node(0);
    int portA = a.address().getPort();
    TrackerServer b = node(0);
    int portB = b.address().getPort();
    Manifest m = TestManifests.random(8, 3);
    register(b, m, "on-b.bin");
    FailoverTracker t = client(a, b);
    a.close();
    // A fails three times in a row: its rest grows to four times the first.
    long rest = REST.toNanos();
    for (int failure = 0; failure < 3; failure++) {
      assertEquals(List.of("on-b.bin"), names(t.search("", 10)));
      now.addAndGet((rest << failure) + 1);
    }
    assertEquals(List.of("on-b.bin"), names(t.search("", 10)), "A's fourth failure; B answers");

    // B goes down and A comes back: A, though resting, is asked as the last resort and answers.
    b.close();
    TrackerServer againA = node(portA);
    register(againA, m, "on-a.bin");
    assertEquals(List.of("on-a.bin"), names(t.search("", 10)));

    // B is back and its short rest is over; A's long one is not, but A answered since.
    TrackerServer againB = node(portB);
    register(againB, m, "on-b-again.bin");
    now.addAndGet(rest + 1);
    assertEquals(List.of("on-a.bin"), names(t.search("", 10)), "the node that answered is first in line again");
    assertEquals(address(againA), t.current().orElseThrow());
  }

  /** A node that takes each connection and closes it at once, counting them in {@code tries}. */
  private ServerSocket dropping(AtomicInteger tries) throws IOException {
    ServerSocket dropping = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    opened.add(dropping);
    Thread.ofVirtual().start(() -> {
      while (!dropping.isClosed()) {
        try (Socket s = dropping.accept()) {
          tries.incrementAndGet();
        } catch (IOException closed) {
          return;
        }
      }
    });
    return dropping;
  }

  @Test
  void aRefusalIsTheAnswerNotAReasonToFailOver() throws Exception {
    TrackerServer a = node(0);
    TrackerServer b = node(0);
    Manifest m = TestManifests.random(3, 3);
    register(b, m, "only-on-b.bin");
    FailoverTracker t = client(a, b);
    assertThrows(UnknownFileException.class, () -> t.peers(m.id(), 10));
    assertEquals(address(a), t.current().orElseThrow());
  }

  @Test
  void everyNodeDownNamesEachFailure() throws Exception {
    int[] ports = new int[2];
    for (int i = 0; i < 2; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        ports[i] = s.getLocalPort();
      }
    }
    List<RemoteTracker> remotes = new ArrayList<>();
    for (int p : ports) {
      remotes.add(new RemoteTracker(new PeerAddress("127.0.0.1", p), new TcpTransport(), PeerId.random(), ONCE));
    }
    FailoverTracker t = new FailoverTracker(remotes, REST, now::get);
    opened.add(t);
    TrackerUnavailableException e = assertThrows(TrackerUnavailableException.class, () -> t.search("", 10));
    assertTrue(e.getMessage().startsWith("no tracker node answered"), e.getMessage());
    for (int p : ports) {
      assertTrue(e.getMessage().contains("127.0.0.1:" + p), e.getMessage());
    }
    assertTrue(t.current().isEmpty());
  }

  @Test
  void oneAddressIsAPlainRemoteTracker() {
    try (var t = FailoverTracker.connect(List.of(new PeerAddress("127.0.0.1", 1)), new TcpTransport(),
        PeerId.random(), ONCE, REST)) {
      assertTrue(t instanceof RemoteTracker, t.toString());
    }
  }

  private static List<String> names(List<FileEntry> entries) {
    return entries.stream().map(FileEntry::name).toList();
  }
}
