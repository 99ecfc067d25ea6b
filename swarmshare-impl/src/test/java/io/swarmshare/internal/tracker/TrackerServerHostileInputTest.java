package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.RawClient;
import io.swarmshare.testkit.TestManifests;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Everything a hostile or broken client might send. Each gets an error frame or a close (or
 * both), and a well-behaved client, searching in a loop on its own connection the whole time,
 * never sees a failure.
 */
class TrackerServerHostileInputTest {
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
  static final PeerId ME = new PeerId("hostile");

  private InMemoryTracker tracker;
  private TrackerServer server;
  private Manifest known;
  private Thread goodClient;
  private final AtomicInteger served = new AtomicInteger();
  private final AtomicReference<Throwable> goodClientFailure = new AtomicReference<>();
  private volatile boolean stop;

  @BeforeEach
  void start() throws Exception {
    tracker = new InMemoryTracker();
    ServerSettings settings = new ServerSettings(new PeerId("tracker"), 64, Duration.ofMillis(400),
        Duration.ofMillis(1500), Duration.ofMillis(500), 64L << 20, Limits.DEFAULTS);
    server = TrackerServer.start(tracker, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), settings);
    known = TestManifests.random(1, 20_000);
    tracker.register(known, "known.bin");
    RemoteTracker good = new RemoteTracker(new PeerAddress("127.0.0.1", server.address().getPort()),
        new TcpTransport(), new PeerId("good"), RemoteTrackerTest.FAST);
    goodClient = Thread.ofVirtual().start(() -> {
      try (good) {
        while (!stop) {
          if (good.search("known", 5).size() != 1) {
            throw new AssertionError("wrong search answer");
          }
          served.incrementAndGet();
        }
      } catch (Throwable t) {
        goodClientFailure.set(t);
      }
    });
  }

  @AfterEach
  void stopAndCheckTheGoodClient() throws Exception {
    int before = served.get();
    Await.until(() -> served.get() > before + 3 || goodClientFailure.get() != null, CLOSE_WITHIN,
        () -> "the good client is no longer served");
    stop = true;
    goodClient.join();
    server.close();
    assertEquals(null, goodClientFailure.get(), "the good client failed: " + goodClientFailure.get());
    assertTrue(served.get() > 0);
  }

  static byte[] prefix(long headerLength, long bodyLength) {
    return ByteBuffer.allocate(8).putInt((int) headerLength).putInt((int) bodyLength).array();
  }

  static byte[] frame(String json, byte[] body) {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + header.length + body.length).put(prefix(header.length, body.length))
        .put(header).put(body).array();
  }

  RawClient connect() throws IOException {
    return new RawClient(server.address());
  }

  RawClient helloed() throws IOException {
    RawClient c = connect();
    c.hello(ME);
    return c;
  }

  static void expectError(RawClient c, String code) throws IOException {
    Header h = c.next();
    assertNotNull(h, "expected an error frame, got a close");
    assertEquals("error", h.type(), h.toString());
    assertEquals(code, h.string("code", 64), h.toString());
  }

  static void expectClosed(RawClient c) throws IOException {
    assertTrue(c.awaitClose(CLOSE_WITHIN), "the server should close the connection");
  }

  static void sendIgnoringReset(RawClient c, byte[] bytes) {
    try {
      c.sendRaw(bytes);
    } catch (IOException expected) {
      // the server may close before it has read everything; that is the point
    }
  }

  @Test
  void randomBytesGetACloseAndNothingElseBreaks() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 8; i++) {
      byte[] junk = new byte[i == 0 ? 1 << 20 : r.nextInt(4096) + 1];
      r.nextBytes(junk);
      try (RawClient c = i % 2 == 0 ? connect() : helloed()) {
        sendIgnoringReset(c, junk);
        c.shutdownOutput();
        expectClosed(c);
      }
    }
  }

  @Test
  void aLengthPrefixOfAllOnesIsRefusedBeforeAnyAllocation() throws Exception {
    try (RawClient c = helloed()) {
      c.sendRaw(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0});
      expectError(c, "too_large");
      expectClosed(c);
    }
    try (RawClient c = helloed()) {
      c.sendRaw(prefix(20, 0xFFFFFFFFL));
      expectError(c, "too_large");
      expectClosed(c);
    }
  }

  @Test
  void aTruncatedFrameEndsInACloseWhetherTheClientHangsUpOrStalls() throws Exception {
    try (RawClient c = helloed()) {
      byte[] whole = frame("{\"type\":\"ping\",\"id\":1}", new byte[0]);
      c.sendRaw(java.util.Arrays.copyOf(whole, 12));
      c.shutdownOutput();
      expectClosed(c);
    }
    try (RawClient c = helloed()) {
      c.sendRaw(java.util.Arrays.copyOf(frame("{\"type\":\"ping\",\"id\":1}", new byte[0]), 12));
      expectError(c, "idle_timeout");
      expectClosed(c);
    }
  }

  @Test
  void deeplyNestedJsonIsRefused() throws Exception {
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"ping\",\"id\":1,\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", new byte[0]));
      expectError(c, "too_large");
      expectClosed(c);
    }
  }

  @Test
  void aHundredMegabyteStringIsRefusedByItsLengthNotBuffered() throws Exception {
    try (RawClient c = helloed()) {
      // Claim 100 MiB of header, send the first megabyte of it, and get the refusal anyway.
      c.sendRaw(prefix(100L << 20, 0));
      byte[] start = ("{\"type\":\"ping\",\"id\":1,\"s\":\"" + "a".repeat(1 << 20)).getBytes(StandardCharsets.US_ASCII);
      sendIgnoringReset(c, start);
      expectError(c, "too_large");
      expectClosed(c);
    }
    try (RawClient c = helloed()) {
      // Within the header limit, but one string longer than the string limit.
      c.sendRaw(frame("{\"type\":\"search\",\"id\":1,\"text\":\"" + "a".repeat(Limits.DEFAULT_MAX_STRING_LENGTH + 1)
          + "\",\"limit\":1}", new byte[0]));
      expectError(c, "too_large");
      expectClosed(c);
    }
  }

  @Test
  void wrongFieldTypesAreBadRequestsAndTheConnectionStaysUsable() throws Exception {
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"peers\",\"id\":1,\"file\":123,\"limit\":\"ten\"}", new byte[0]));
      Header e = c.next();
      assertEquals("bad_request", e.string("code", 64), e.toString());
      assertEquals(1, e.id(), "the error echoes the request id");
      c.sendRaw(frame("{\"type\":\"search\",\"id\":3,\"text\":\"x\",\"limit\":1.5}", new byte[0]));
      expectError(c, "bad_request");
      c.sendRaw(frame("{\"type\":\"manifest\",\"id\":4,\"file\":\"not-hex\"}", new byte[0]));
      expectError(c, "bad_request");
      c.sendRaw(frame("{\"type\":\"ping\",\"id\":5}", new byte[] {1, 2, 3}));
      expectError(c, "bad_request");
      c.sendRaw(frame("{\"type\":\"get\",\"id\":6}", new byte[100]));
      expectError(c, "unknown_type");
      c.sendRaw(frame("{\"type\":\"ping\",\"id\":8,\"later\":99999999999999999999}", new byte[0]));
      assertEquals("pong", c.next().type(), "an unknown field is ignored, whatever its value");
      c.sendRaw(frame("{\"type\":\"ping\",\"id\":7}", new byte[0]));
      Header pong = c.next();
      assertEquals("pong", pong.type(), "after all that, the connection still works");
      assertEquals(7, pong.id());
    }
  }

  @Test
  void aRequestWithoutAUsableIdIsAnsweredWithoutAnIdAndClosed() throws Exception {
    // Ids beyond 2^53-1 are refused and never echoed; see also ServerConformanceTest.
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"search\",\"id\":\"seven\",\"text\":\"x\",\"limit\":1}", new byte[0]));
      Header e = c.next();
      assertEquals("bad_request", e.string("code", 64), e.toString());
      assertTrue(!e.has("id"), e.toString());
      expectClosed(c);
    }
  }

  @Test
  void aManifestThatDoesNotMatchItsIdOrLengthIsRefusedAndTheConnectionStaysUsable() throws Exception {
    try (RawClient c = helloed()) {
      Manifest m = TestManifests.random(5, 3);
      Manifest other = TestManifests.random(6, 3);
      Header liar = new TrackerRequest.Register(other.id(), "liar", m.size(), m.chunkSize()).header(1);
      c.send(liar, m.canonicalBytes());
      expectError(c, "integrity");
      Header shortBody = TrackerRequest.Register.of(m, "short").header(2);
      c.send(shortBody, java.util.Arrays.copyOf(m.canonicalBytes(), 10));
      expectError(c, "bad_request");
      byte[] garbage = new byte[(int) m.canonicalLength()];
      c.send(TrackerRequest.Register.of(m, "garbage").header(3), garbage);
      expectError(c, "bad_request");
      c.send(new TrackerRequest.Ping().header(4));
      assertEquals("pong", c.next().type());
    }
    assertTrue(tracker.search("liar", 10).isEmpty());
  }

  @Test
  void framesBeforeHelloAreOutOfOrderAndClose() throws Exception {
    try (RawClient c = connect()) {
      assertEquals("hello", c.readHello().type(), "the tracker speaks first");
      c.send(new TrackerRequest.Ping().header(1));
      expectError(c, "out_of_order");
      expectClosed(c);
    }
    try (RawClient c = connect()) {
      c.readHello();
      c.sendRaw(frame("{\"type\":\"hello\",\"version\":99,\"peer\":\"x\",\"role\":\"client\"}", new byte[0]));
      expectError(c, "unsupported_version");
      expectClosed(c);
    }
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"hello\",\"version\":1,\"peer\":\"x\",\"role\":\"client\"}", new byte[0]));
      expectError(c, "out_of_order");
      expectClosed(c);
    }
  }

  @Test
  void aSlowLorisIsCutOffByTheFrameDeadline() throws Exception {
    try (RawClient c = helloed()) {
      byte[] frame = frame("{\"type\":\"search\",\"id\":1,\"text\":\"" + "k".repeat(200) + "\",\"limit\":5}", new byte[0]);
      long started = System.nanoTime();
      boolean cut = false;
      for (int i = 0; i < frame.length && !cut; i++) {
        try {
          c.sendRaw(new byte[] {frame[i]});
          Thread.sleep(100); // the pacing under test: one byte every 100 ms, inside the 400 ms idle timeout
        } catch (IOException e) {
          cut = true;
        }
        cut |= System.nanoTime() - started > CLOSE_WITHIN.toNanos();
      }
      expectError(c, "idle_timeout");
      expectClosed(c);
      long took = (System.nanoTime() - started) / 1_000_000;
      assertTrue(took < 4000, "cut off after " + took + " ms; the frame deadline is 1500 ms");
    }
  }

  @Test
  void aClientThatNeverReadsIsDroppedWhenWritesStall() throws Exception {
    try (RawClient c = helloed()) {
      int asked = 200; // 200 manifests of 640 KB: far more than the socket buffers hold
      for (int i = 0; i < asked; i++) {
        sendIgnoringReset(c, frame("{\"type\":\"manifest\",\"id\":" + i + ",\"file\":\"" + known.id() + "\"}", new byte[0]));
      }
      Await.until(() -> server.openConnections() <= 1, CLOSE_WITHIN, () -> "stalled connection still open");
      int replies = 0;
      try {
        while (c.next() != null) {
          replies++;
        }
      } catch (IOException closed) {
        // reset or truncated mid-frame: the server gave up on us
      }
      assertTrue(replies < asked, "the server stopped writing to a client that does not read; got " + replies);
    }
  }
}
