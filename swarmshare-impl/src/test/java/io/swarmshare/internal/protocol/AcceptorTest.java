package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.peer.ServedFiles;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.internal.tracker.ServerSettings;
import io.swarmshare.internal.tracker.TrackerServer;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one acceptor of the tracker and the peer server: per-address caps, the hello deadline and
 * the pause after a failed accept, checked on real servers on loopback where a server is needed.
 */
class AcceptorTest {
  static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
  static final ConnectionLimits SMALL = new ConnectionLimits(16, 2, Duration.ofMillis(300));

  @Test
  void aPeerServerAdmitsOnlySoManyConnectionsFromOneAddressAndStillServesOthers() throws Exception {
    try (PeerServer server = new PeerServer(new TcpTransport(), LOOPBACK, new PeerId("server"), new ServedFiles(),
        RateLimiter.of(0), PeerServer.Caps.DEFAULTS.withConnections(SMALL.withHelloTimeout(Duration.ofMinutes(1))))) {
      assertOneAddressIsCapped(server.address());
    }
  }

  @Test
  void aTrackerAdmitsOnlySoManyConnectionsFromOneAddressAndStillServesOthers() throws Exception {
    try (InMemoryTracker tracker = new InMemoryTracker();
        TrackerServer server = TrackerServer.start(tracker, new TcpTransport(), LOOPBACK,
            ServerSettings.defaults().withConnections(SMALL.withHelloTimeout(Duration.ofMinutes(1))))) {
      assertOneAddressIsCapped(server.address());
    }
  }

  private static void assertOneAddressIsCapped(InetSocketAddress server) throws Exception {
    try (RawClient a = new RawClient(server, "127.0.0.2");
        RawClient b = new RawClient(server, "127.0.0.2");
        RawClient c = new RawClient(server, "127.0.0.2");
        RawClient honest = new RawClient(server, "127.0.0.1")) {
      assertEquals("hello", a.readHello().type());
      assertEquals("hello", b.readHello().type());
      Header refused = c.readHello();
      assertEquals("error", refused.type(), "the third connection from one address is refused: " + refused);
      assertEquals("busy", refused.string("code", 64));
      assertTrue(c.awaitClose(Duration.ofSeconds(5)), "and closed");
      assertEquals("hello", honest.readHello().type(), "another address still gets in");
    }
  }

  @Test
  void aConnectionThatSaysNoHelloIsClosedAtTheHelloDeadline() throws Exception {
    try (PeerServer peer = new PeerServer(new TcpTransport(), LOOPBACK, new PeerId("server"), new ServedFiles(),
            RateLimiter.of(0), PeerServer.Caps.DEFAULTS.withConnections(SMALL));
        InMemoryTracker tracker = new InMemoryTracker();
        TrackerServer trackerServer = TrackerServer.start(tracker, new TcpTransport(), LOOPBACK,
            ServerSettings.defaults().withConnections(SMALL))) {
      for (InetSocketAddress server : new InetSocketAddress[] {peer.address(), trackerServer.address()}) {
        try (RawClient silent = new RawClient(server, "127.0.0.2");
            RawClient polite = new RawClient(server, "127.0.0.2")) {
          silent.readHello();
          polite.hello(new PeerId("polite"));
          // Idle timeouts are minutes: only the hello deadline closes the silent one this soon.
          assertTrue(silent.awaitClose(Duration.ofSeconds(5)), "closed without a hello: " + server);
          assertFalse(polite.awaitClose(Duration.ofMillis(600)), "a connection past its hello is not: " + server);
        }
      }
    }
  }

  @Test
  void failedAcceptsArePacedNotSpun() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Listener failing = new Listener() {
      @Override
      public Connection accept() throws IOException {
        calls.incrementAndGet();
        throw new IOException("Too many open files");
      }

      @Override
      public InetSocketAddress localAddress() {
        return LOOPBACK;
      }

      @Override
      public void close() {}
    };
    long start = System.nanoTime();
    try (Acceptor acceptor = Acceptor.start("test", failing, SMALL, c -> {})) {
      assertNotNull(acceptor);
      Await.until(() -> calls.get() >= 5, Duration.ofSeconds(10), () -> "accept retried: " + calls.get());
      long millis = (System.nanoTime() - start) / 1_000_000;
      // Pauses of 10, 20, 40 and 80 ms come between the first five attempts.
      assertTrue(millis >= 150, "five failed accepts took " + millis + " ms; a spinning loop takes microseconds");
    }
  }
}
