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
import io.swarmshare.testkit.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * A tracker's {@code peer_list} as the client decodes it ({@link TrackerReplies#decodePeerList},
 * after the frame reader and the body-length rule {@link RemoteTracker} applies). Whatever the
 * tracker sends, the client gets a list or a {@link FrameException}; a list it accepts is exactly
 * what re-encodes to the fields and body it was sent. The number of tries comes from
 * {@code junit-platform.properties} (docs/TESTING.md).
 */
class PeerListProperties {
  private static final FileId FILE = new FileId("ab".repeat(32));

  @Property
  void peerListsRoundTripThroughAFrame(@ForAll("peerLists") PeerList list) throws IOException {
    Received r = receive(encode(list)).orElseThrow();
    assertEquals(list.peers(), TrackerReplies.decodePeerList(r.header(), r.body()));
  }

  @Property
  void mutatedPeerListsAreRejectedCleanlyOrReencodeIdentically(
      @ForAll("peerLists") PeerList list, @ForAll("mutations") List<Mutation> mutations) throws FrameException {
    acceptedOnlyAsItself(Mutation.apply(mutations, encode(list)));
  }

  @Property
  void arbitraryPeerListHeadersAreRejectedCleanlyOrReencodeIdentically(
      @ForAll("headers") Header h, @ForAll @Size(max = 200) byte[] body) throws IOException {
    acceptedOnlyAsItself(frame(h, body));
  }

  /**
   * Found by {@link #mutatedPeerListsAreRejectedCleanlyOrReencodeIdentically} (seed
   * -232860281044147956, a bit flipped in a bitfield): an entry whose {@code have} differs from its
   * bitfield's population count was accepted.
   */
  @Example
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

  @Provide
  static Arbitrary<PeerList> peerLists() {
    return Arbitraries.integers().between(0, 300).flatMap(chunks -> peer(chunks).list().ofMaxSize(8)
        .map(peers -> new PeerList(chunks, peers)));
  }

  private static Arbitrary<PeerInfo> peer(int chunks) {
    Arbitrary<String> id = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars("._:-").ofMinLength(1).ofMaxLength(PeerId.MAX_LENGTH);
    Arbitrary<String> host = Arbitraries.oneOf(Arbitraries.of("127.0.0.1", "::1", "localhost", "peer.example"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(60).filter(s -> !s.isBlank()));
    Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
    Arbitrary<Bitfield> have = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 8)).as((seed, density) -> {
      // Random bits at a random density, drawn from a seed: generating sets of indexes is slow.
      java.util.Random r = new java.util.Random(seed);
      byte[] bits = new byte[Bitfield.byteLength(chunks)];
      for (int i = 0; i < chunks; i++) {
        if (r.nextInt(8) < density) {
          bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      return Bitfield.fromBytes(chunks, bits);
    });
    Arbitrary<Long> seen = Arbitraries.longs().between(0, Long.MAX_VALUE);
    return Combinators.combine(id, host, port, have, seen)
        .as((p, h, n, b, s) -> new PeerInfo(new PeerId(p), new PeerAddress(h, n), b, Instant.ofEpochMilli(s)));
  }

  /** {@code peer_list} headers with the right field names and any values, entries included. */
  @Provide
  static Arbitrary<Header> headers() {
    Arbitrary<Object> number = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1, 70_000),
        Arbitraries.of(0L, 1L, 8L, 9L, 65535L, 65536L, (long) Manifest.MAX_CHUNKS, Manifest.MAX_CHUNKS + 1L)).map(l -> l);
    Arbitrary<Object> any = Arbitraries.oneOf(number, Arbitraries.strings().ofMaxLength(300).map(s -> s),
        Arbitraries.of(true, false).map(b -> b));
    Arbitrary<Object> entry = Arbitraries.maps(Arbitraries.of("peer", "host", "port", "have", "seen", "extra"), any)
        .ofMaxSize(6).map(fields -> {
          Header e = Header.object();
          for (Map.Entry<String, Object> f : fields.entrySet()) {
            e = e.with(f.getKey(), f.getValue());
          }
          return e;
        });
    Arbitrary<Object> entries = Arbitraries.oneOf(entry.list().ofMaxSize(5).map(l -> new ArrayList<>(l)), any);
    return Combinators.combine(Arbitraries.oneOf(number, any), entries).as((chunks, peers) ->
        TrackerReplies.peerList(1, FILE, 0, List.of()).with("chunks", chunks).with("peers", peers));
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }
}
