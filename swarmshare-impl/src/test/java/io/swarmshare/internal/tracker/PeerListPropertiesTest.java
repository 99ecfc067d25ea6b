package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tracker's {@code peer_list} as the client decodes it ({@link TrackerReplies#decodePeerList},
 * after the frame reader and the body-length rule {@link RemoteTracker} applies). Whatever the
 * tracker sends, the client gets a list or a {@link FrameException}; a list it accepts is exactly
 * what re-encodes to the fields and body it was sent. Each property runs {@link Fuzz#cases()}
 * seeded cases (docs/TESTING.md).
 */
class PeerListPropertiesTest {
  private static final FileId FILE = new FileId("ab".repeat(32));
  /** The characters a peer id may hold. */
  private static final String PEER_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";

  @Test
  void peerListsRoundTripThroughAFrame() {
    Fuzz.check(c -> {
      PeerList list = c.draw("list", PeerListPropertiesTest::peerList);
      Received r = receive(encode(list)).orElseThrow();
      assertEquals(list.peers(), TrackerReplies.decodePeerList(r.header(), r.body()));
    });
  }

  @Test
  void mutatedPeerListsAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> {
      PeerList list = c.draw("list", PeerListPropertiesTest::peerList);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      acceptedOnlyAsItself(Mutation.apply(mutations, encode(list)));
    });
  }

  @Test
  void arbitraryPeerListHeadersAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> {
      Header h = c.draw("header", PeerListPropertiesTest::header);
      byte[] body = c.draw("body", r -> Gen.bytes(r, 200));
      acceptedOnlyAsItself(frame(h, body));
    });
  }

  /**
   * Found by {@link #mutatedPeerListsAreRejectedCleanlyOrReencodeIdentically} (a bit flipped in a
   * bitfield): an entry whose {@code have} differs from its bitfield's population count was accepted.
   */
  @Test
  void anEntryWhoseHaveCountDisagreesWithItsBitfieldIsRefused() {
    Bitfield one = Bitfield.empty(8).with(3);
    PeerInfo p = new PeerInfo(new PeerId("p"), new PeerAddress("127.0.0.1", 7000), one, Instant.EPOCH);
    Header h = TrackerReplies.peerList(1, FILE, 8, List.of(p));
    Header lying = h.with("peers", List.of(Header.object().with("peer", "p").with("host", "127.0.0.1").with("port", 7000)
        .with("have", 2).with("seen", 0)));
    byte[] body = one.toByteArray();
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(FrameException.class, () -> TrackerReplies.decodePeerList(lying, body)).error());
  }

  /** Reads a frame as the client does; if it decodes, its fields and body are what its value encodes to. */
  private static void acceptedOnlyAsItself(byte[] frame) throws FrameException {
    Received r;
    try {
      r = receive(frame).orElse(null);
    } catch (IOException expected) {
      return; // bad_frame, too_large, EOF: the reader's documented failures
    }
    if (r == null) {
      return;
    }
    List<PeerInfo> peers;
    try {
      peers = TrackerReplies.decodePeerList(r.header(), r.body());
    } catch (FrameException e) {
      assertEquals(ErrorCode.BAD_REQUEST, e.error(), e.getMessage());
      return;
    }
    int chunks = r.header().integer("chunks", 0, Manifest.MAX_CHUNKS);
    List<Header> sent = r.header().objects("peers");
    List<Header> encoded = TrackerReplies.peerList(r.header().id(), FILE, chunks, peers).objects("peers");
    assertEquals(encoded.size(), sent.size());
    for (int i = 0; i < sent.size(); i++) {
      for (String field : List.of("peer", "host")) {
        assertEquals(encoded.get(i).string(field, 1000), sent.get(i).string(field, 1000), "entry " + i + " of " + r.header());
      }
      for (String field : List.of("port", "have", "seen")) {
        assertEquals(encoded.get(i).number(field, Long.MIN_VALUE, Long.MAX_VALUE),
            sent.get(i).number(field, Long.MIN_VALUE, Long.MAX_VALUE), "entry " + i + " field " + field + " of " + r.header());
      }
    }
    assertArrayEquals(r.body(), body(peers, chunks));
  }

  /** A decoded header and its body. */
  record Received(Header header, byte[] body) {}

  /** Reads one frame and its body, refusing a body whose length the header does not imply, as RemoteTracker does. */
  private static java.util.Optional<Received> receive(byte[] frame) throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), Limits.DEFAULTS);
    Header h = reader.next();
    if (h == null) {
      return java.util.Optional.empty();
    }
    long expected = TrackerReplies.peerListBodyLength(h.integer("chunks", 0, Manifest.MAX_CHUNKS), h.objects("peers").size());
    if (reader.bodyLength() != expected) {
      throw new FrameException(ErrorCode.BAD_FRAME, "body length differs from what the header implies");
    }
    return java.util.Optional.of(new Received(h, reader.readBody((int) expected)));
  }

  /** A file's chunk count and the peers a tracker lists for it. */
  record PeerList(int chunks, List<PeerInfo> peers) {}

  private static byte[] encode(PeerList list) {
    return frame(TrackerReplies.peerList(7, FILE, list.chunks(), list.peers()), body(list.peers(), list.chunks()));
  }

  private static byte[] body(List<PeerInfo> peers, int chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PeerInfo p : peers) {
      out.writeBytes(p.have().toByteArray());
    }
    assertEquals(TrackerReplies.peerListBodyLength(chunks, peers.size()), out.size());
    return out.toByteArray();
  }

  private static byte[] frame(Header h, byte[] body) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      FrameWriter w = new FrameWriter(out);
      w.write(h, body, 0, body.length);
      w.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Up to 300 chunks and up to 8 peers. */
  static PeerList peerList(Random r) {
    int chunks = Gen.intIn(r, 0, 300);
    return new PeerList(chunks, Gen.list(r, 0, 8, g -> peer(g, chunks)));
  }

  private static PeerInfo peer(Random r, int chunks) {
    String id = Gen.string(r, PeerId.MAX_LENGTH - 1, PEER_ID_CHARS) + Gen.oneOf(r, PEER_ID_CHARS.split(""));
    String host;
    do {
      host = r.nextBoolean() ? Gen.oneOf(r, "127.0.0.1", "::1", "localhost", "peer.example") : Gen.validText(r, 60);
    } while (host.isBlank());
    int port = Gen.intIn(r, 1, 65535);
    // Random bits at a random density, the empty and the full bitfield among them.
    int density = Gen.intIn(r, 0, 8);
    byte[] bits = new byte[Bitfield.byteLength(chunks)];
    for (int i = 0; i < chunks; i++) {
      if (r.nextInt(8) < density) {
        bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    long seen = Gen.longIn(r, 0, Long.MAX_VALUE);
    return new PeerInfo(new PeerId(id), new PeerAddress(host, port), Bitfield.fromBytes(chunks, bits), Instant.ofEpochMilli(seen));
  }

  /** {@code peer_list} headers with the right field names and any values, entries included. */
  static Header header(Random r) {
    Object chunks = r.nextBoolean() ? number(r) : any(r);
    Object peers = r.nextBoolean() ? new ArrayList<>(Gen.list(r, 0, 5, PeerListPropertiesTest::entry)) : any(r);
    return TrackerReplies.peerList(1, FILE, 0, List.of()).with("chunks", chunks).with("peers", peers);
  }

  private static Header entry(Random r) {
    Header e = Header.object();
    for (int n = Gen.intIn(r, 0, 6); n > 0; n--) {
      e = e.with(Gen.oneOf(r, "peer", "host", "port", "have", "seen", "extra"), any(r));
    }
    return e;
  }

  private static Object any(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> number(r);
      case 1 -> Gen.text(r, 300);
      default -> r.nextBoolean();
    };
  }

  private static long number(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> Gen.anyLong(r);
      case 1 -> Gen.longIn(r, -1, 70_000);
      default -> Gen.oneOf(r, 0L, 1L, 8L, 9L, 65535L, 65536L, (long) Manifest.MAX_CHUNKS, Manifest.MAX_CHUNKS + 1L);
    };
  }
}
