package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.RawClient;
import io.swarmshare.testkit.TestFiles;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PeerServerTest {
  @TempDir Path dir;
  private PeerServer server;
  private Manifest manifest;
  private byte[] data;
  private final ServedFiles files = new ServedFiles();

  @BeforeEach
  void start() throws Exception {
    Path file = TestFiles.random(dir, "f.bin", 10 * 16384 + 99, 1);
    data = Files.readAllBytes(file);
    manifest = SwarmShare.manifest(file, 16384, n -> {});
    files.put(FileStore.seeding(file, manifest));
    server = new PeerServer(new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), new PeerId("server"), files,
        RateLimiter.of(0), new PeerServer.Caps(4, 32, Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient connect() throws Exception {
    RawClient c = new RawClient(server.address());
    c.hello(new PeerId("client"));
    return c;
  }

  @Test
  void answersPipelinedGetsInOrderWithTheChunkBytes() throws Exception {
    try (RawClient c = connect()) {
      for (int i = 0; i < manifest.chunkCount(); i++) {
        c.send(PeerMessages.get(100 + i, manifest.id(), manifest.chunkCount() - 1 - i));
      }
      for (int i = 0; i < manifest.chunkCount(); i++) {
        Header h = c.next();
        assertNotNull(h);
        assertEquals("chunk", h.type());
        assertEquals(100 + i, h.id());
        int index = manifest.chunkCount() - 1 - i;
        long off = manifest.chunkOffset(index);
        assertArrayEquals(Arrays.copyOfRange(data, (int) off, (int) off + manifest.chunkLength(index)), c.lastBody());
      }
    }
  }

  @Test
  void bitfieldManifestAndNotFound() throws Exception {
    MemoryStore partial = new MemoryStore(SwarmShare.manifest(TestFiles.random(dir, "g.bin", 40000, 2), 16384, n -> {}));
    partial.writeChunk(1, ByteBuffer.wrap(new byte[16384]));
    files.put(partial);
    try (RawClient c = connect()) {
      c.send(PeerMessages.bitfieldRequest(1, partial.manifest().id()));
      Header h = c.next();
      assertEquals("bitfield", h.type());
      assertEquals(Bitfield.empty(3).with(1), Bitfield.fromBytes(3, c.lastBody()));

      c.send(PeerMessages.get(2, partial.manifest().id(), 0));
      h = c.next();
      assertEquals("error", h.type());
      assertEquals(2, h.id());
      assertEquals("not_found", h.string("code", 64));

      c.send(PeerMessages.get(3, new FileId("0".repeat(64)), 0));
      assertEquals("not_found", c.next().string("code", 64));

      c.send(PeerMessages.manifestRequest(4, manifest.id()));
      h = c.next();
      assertEquals("manifest_data", h.type());
      assertEquals(manifest.id(), Manifest.parse(c.lastBody()).id());

      c.send(Header.request("frobnicate", 5));
      h = c.next();
      assertEquals("unknown_type", h.string("code", 64));
      assertEquals(5, h.id());
    }
  }

  @Test
  void garbageAndOversizedFramesCloseOnlyThatConnection() throws Exception {
    try (RawClient bad = connect()) {
      byte[] junk = new byte[4096];
      new Random(3).nextBytes(junk);
      bad.sendRaw(junk);
      assertTrue(bad.awaitClose(Duration.ofSeconds(10)), "garbage connection closed");
    }
    try (RawClient big = connect()) {
      big.send(PeerMessages.get(1, manifest.id(), 0), new byte[100_000]);
      Header h = big.next();
      assertEquals("too_large", h.string("code", 64));
      assertTrue(big.awaitClose(Duration.ofSeconds(10)));
    }
    try (RawClient early = new RawClient(server.address())) {
      early.readHello();
      early.send(PeerMessages.get(1, manifest.id(), 0));
      Header h = early.next();
      assertEquals("out_of_order", h.string("code", 64));
    }
    try (RawClient good = connect()) {
      good.send(PeerMessages.get(9, manifest.id(), 0));
      assertEquals("chunk", good.next().type(), "a well-behaved peer is still served");
    }
  }

  @Test
  void cancelledGetsAreNeverAnswered() throws Exception {
    try (RawClient c = connect()) {
      // Many requests then cancels for most; every reply must be for a request not cancelled,
      // except ones already being answered when the cancel arrived.
      for (int i = 0; i < 8; i++) {
        c.send(PeerMessages.get(i, manifest.id(), i));
      }
      for (int i = 2; i < 8; i++) {
        c.send(PeerMessages.cancel(i));
      }
      c.send(PeerMessages.bitfieldRequest(99, manifest.id()));
      Set<Long> answered = new HashSet<>();
      Header h;
      while ((h = c.next()) != null && h.id() != 99) {
        answered.add(h.id());
      }
      assertTrue(answered.contains(0L) && answered.contains(1L), "uncancelled requests answered: " + answered);
      assertTrue(answered.size() <= 8);
    }
  }

  @Test
  void aGetCancelledWhileItWaitsForTheUploadLimitIsNeverSent() throws Exception {
    // One chunk a second: the first goes at once, each next one a second after the one before.
    RateLimiter limit = RateLimiter.of(16384);
    PeerServer limited = new PeerServer(new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), new PeerId("slow"),
        files, limit, new PeerServer.Caps(4, 32, Duration.ofSeconds(2)));
    try (RawClient c = new RawClient(limited.address())) {
      c.hello(new PeerId("client"));
      for (int i = 0; i < 3; i++) {
        c.send(PeerMessages.get(i, manifest.id(), i));
      }
      assertEquals(0, c.next().id());
      assertEquals(1, c.next().id());
      // Chunk 1 went out when its second was up, leaving the bucket empty. A backlog again means
      // the writer has taken get 2 from its queue and booked it, and waits for its turn: the
      // cancel must withdraw it there, not in the queue.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (limit.backlogNanos() == 0) {
        assertTrue(System.nanoTime() < deadline, "get 2 was never booked");
        Thread.onSpinWait();
      }
      c.send(PeerMessages.cancel(2));
      c.send(PeerMessages.get(3, manifest.id(), 3));
      Header h = c.next();
      assertNotNull(h);
      assertEquals(3, h.id(), "the withdrawn chunk was not sent; the next get was answered");
      long off = manifest.chunkOffset(3);
      assertArrayEquals(Arrays.copyOfRange(data, (int) off, (int) off + manifest.chunkLength(3)), c.lastBody());
    } finally {
      limited.close();
    }
  }

  @Test
  void connectionCapAnswersBusy() throws Exception {
    RawClient[] held = new RawClient[4];
    try {
      for (int i = 0; i < held.length; i++) {
        held[i] = connect();
      }
      try (RawClient extra = new RawClient(server.address())) {
        Header h = extra.next();
        assertEquals("error", h.type());
        assertEquals("busy", h.string("code", 64));
      }
    } finally {
      for (RawClient c : held) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  @Test
  void pushesHaveForChunksGainedAfterTheBitfieldToAClientThatSpeaksIt() throws Exception {
    MemoryStore partial = new MemoryStore(SwarmShare.manifest(TestFiles.random(dir, "h.bin", 40000, 3), 16384, n -> {}));
    files.put(partial);
    FileId id = partial.manifest().id();
    try (RawClient c = connect()) {
      c.send(PeerMessages.bitfieldRequest(1, id));
      assertEquals(Bitfield.empty(3), Bitfield.fromBytes(3, expect(c, "bitfield")));
      partial.writeChunk(2, ByteBuffer.wrap(new byte[40000 - 2 * 16384]));
      files.obtained(id, 2);
      Header have = c.next();
      assertEquals("have", have.type());
      assertEquals(id.hex(), have.string("file", 64));
      assertEquals(1, have.integer("count", 0, 4096));
      assertArrayEquals(new byte[] {0, 0, 0, 2}, c.lastBody(), "one 4-byte big-endian index");
    }
  }

  @Test
  void aClientWhoseHelloListsNoFeaturesNeverGetsAHave() throws Exception {
    MemoryStore partial = new MemoryStore(SwarmShare.manifest(TestFiles.random(dir, "i.bin", 40000, 4), 16384, n -> {}));
    files.put(partial);
    FileId id = partial.manifest().id();
    try (RawClient c = new RawClient(server.address())) {
      // A version 1 peer from before features existed: no "features" field at all.
      c.send(Header.of("hello").with("version", 1).with("peer", "old-peer").with("role", "peer"));
      assertEquals("hello", c.readHello().type());
      c.send(PeerMessages.bitfieldRequest(1, id));
      expect(c, "bitfield");
      partial.writeChunk(0, ByteBuffer.wrap(new byte[16384]));
      files.obtained(id, 0);
      c.send(PeerMessages.bitfieldRequest(2, id));
      Header next = c.next();
      assertEquals("bitfield", next.type(), "the next frame answers the request; no have was pushed");
      assertEquals(2, next.id());
    }
  }

  @Test
  void aSeedServingSeveralPeersSendsAChunkOnceAndPointsTheNextAskerElsewhere() throws Exception {
    try (RawClient a = connect(); RawClient b = connect()) {
      for (RawClient c : new RawClient[] {a, b}) {
        c.send(PeerMessages.bitfieldRequest(1, manifest.id()));
        expect(c, "bitfield");
      }
      a.send(PeerMessages.get(2, manifest.id(), 0));
      assertEquals("chunk", a.next().type());
      b.send(PeerMessages.get(2, manifest.id(), 0));
      Header refused = b.next();
      assertEquals("error", refused.type());
      assertEquals("elsewhere", refused.string("code", 64));
      assertEquals(2, refused.id());
      long retry = refused.number("retryMs", 1, 60_000);
      assertTrue(retry <= SeedSpread.HOLD_NANOS / 1_000_000, "retry after at most the first round's hold, got " + retry);
      long[] suggest = refused.numbers("suggest");
      assertTrue(suggest.length > 0, "a refusal in the first round suggests chunks not sent yet");
      for (long c : suggest) {
        assertTrue(c > 0 && c < manifest.chunkCount(), "chunk 0 went out; got " + c);
      }
      b.send(PeerMessages.get(3, manifest.id(), (int) suggest[0]));
      assertEquals("chunk", b.next().type(), "a suggested chunk is sent at once");
    }
  }



  /** Reads the next frame, checks its type and returns its body. */
  private static byte[] expect(RawClient c, String type) throws Exception {
    Header h = c.next();
    assertNotNull(h, "the connection closed");
    assertEquals(type, h.type(), h.toString());
    return c.lastBody();
  }
}
