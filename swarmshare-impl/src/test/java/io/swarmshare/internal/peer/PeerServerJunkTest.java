package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.RawClient;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client of the peer server that never asks for anything useful but keeps talking, from
 * 127.0.0.2: its frames are not taken as life, and junk is capped (issue 15, attack 5, the
 * server's side).
 */
@Timeout(30)
class PeerServerJunkTest {
  @TempDir Path dir;

  private PeerServer server(Duration idleTimeout) throws Exception {
    Path file = TestFiles.random(dir, "f.bin", 4 * 16384, 5);
    Manifest manifest = SwarmShare.manifest(file, 16384, n -> { });
    ServedFiles files = new ServedFiles();
    files.put(FileStore.seeding(file, manifest));
    return new PeerServer(new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), new PeerId("server"), files,
        RateLimiter.of(0), new PeerServer.Caps(8, 32, idleTimeout));
  }

  /** Sends {@code frame(n)} every 200 ms from 127.0.0.2 and returns how long the server kept the connection. */
  private static double secondsHeld(PeerServer server, IntFunction<Header> frame, byte[] body) throws Exception {
    try (RawClient c = new RawClient(server.address(), "127.0.0.2")) {
      c.hello(new PeerId("chatterbox"));
      long start = System.nanoTime();
      Thread talker = Thread.ofVirtual().start(() -> {
        try {
          for (int n = 0; ; n++) {
            c.send(frame.apply(n), body);
            Thread.sleep(200); // the client's pace under test, not a synchronisation
          }
        } catch (IOException | InterruptedException e) {
          // closed by the server, or by the test
        }
      });
      boolean closed = c.awaitClose(Duration.ofSeconds(12));
      double held = (System.nanoTime() - start) / 1e9;
      talker.interrupt();
      assertTrue(closed, "the server still holds the connection after " + held + " s");
      return held;
    }
  }

  @Test
  void aClientThatSendsOnlyJunkAndHavesIsClosedOnceOverItsBudget() throws Exception {
    // An idle timeout far beyond the test: only the budget can close this connection.
    try (PeerServer server = server(Duration.ofMinutes(2))) {
      byte[] have = ByteBuffer.allocate(4).putInt(0).array();
      // Each frame carries an id: one without would be answered with a closing error at once
      // (docs/PROTOCOL.md section 6), which is not what this test is about.
      double held = secondsHeld(server, n -> n % 2 == 0
          ? Header.request("have", n).with("file", "0".repeat(64)).with("count", 1)
          : Header.request("noise", n), have);
      // 16 frames are tolerated, the 17th closes: about 3.4 s at one per 200 ms.
      assertTrue(held >= 2.5 && held <= 8, "closed after " + held + " s");
    }
  }

  @Test
  void aClientThatOnlyCancelsIsClosedAfterTheIdleTimeout() throws Exception {
    // A cancel is a valid request, but nothing is answered for it: it is not activity.
    try (PeerServer server = server(Duration.ofSeconds(2))) {
      double held = secondsHeld(server, n -> PeerMessages.cancel(n), new byte[0]);
      assertTrue(held >= 1.5 && held <= 2 + 3, "closed after " + held + " s");
    }
  }

  @Test
  void aClientThatKeepsAskingIsKeptPastTheIdleTimeout() throws Exception {
    try (PeerServer server = server(Duration.ofSeconds(1));
        RawClient c = new RawClient(server.address(), "127.0.0.2")) {
      c.hello(new PeerId("keeper"));
      long start = System.nanoTime();
      for (int n = 0; System.nanoTime() - start < 3_000_000_000L; n++) {
        c.send(PeerMessages.manifestRequest(n, new io.swarmshare.api.FileId("0".repeat(64))));
        Header h = c.next();
        assertEquals("not_found", h.string("code", 64), "answered, not closed, after " + n + " requests");
        Thread.sleep(300); // the client's pace, well inside the idle timeout
      }
    }
  }
}
