package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.testkit.Mutation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * What a downloader decodes from a peer besides chunks: the {@code have} message's index list
 * ({@link PeerMessages#haveIndexes}) and every reply header ({@link PeerReply#decode}). Whatever
 * arrives, they return a value or throw {@link FrameException}, and an accepted {@code have}
 * body names only chunks of the file and re-encodes to itself. The peer's bitfield is
 * {@code Bitfield.fromBytes}, whose properties are in the API module. The number of tries comes
 * from {@code junit-platform.properties} (docs/TESTING.md).
 */
class PeerMessagesProperties {
  @Property
  void haveIndexesRoundTrip(@ForAll("haves") Have have) throws FrameException {
    assertArrayEquals(have.indexes(), PeerMessages.haveIndexes(encode(have.indexes()), have.chunkCount()));
  }

  @Property
  void arbitraryHaveBodiesAreRejectedCleanlyOrReencodeIdentically(
      @ForAll @Size(max = 200) byte[] body, @ForAll @IntRange(min = 0, max = 1 << 20) int chunkCount) {
    decodesToItselfOrIsRejected(body, chunkCount);
  }

  @Property
  void mutatedHaveBodiesAreRejectedCleanlyOrReencodeIdentically(
      @ForAll("haves") Have have, @ForAll("mutations") List<Mutation> mutations) {
    decodesToItselfOrIsRejected(Mutation.apply(mutations, encode(have.indexes())), have.chunkCount());
  }

  @Property
  void replyHeadersDecodeOrAreBadRequests(@ForAll("replies") Header h) {
    PeerReply reply;
    try {
      reply = PeerReply.decode(h);
    } catch (FrameException e) {
      assertEquals(ErrorCode.BAD_REQUEST, e.error());
      return;
    }
    switch (reply) {
      case PeerReply.Chunk c -> assertTrue(c.chunk() >= 0);
      case PeerReply.Bitfield b -> assertTrue(b.chunks() >= 0);
      case PeerReply.Have hv -> assertTrue(hv.count() >= 0 && hv.count() <= PeerMessages.MAX_HAVE_INDEXES);
      case PeerReply.Error e -> assertTrue(e.retryMs() >= 0 && e.retryMs() <= 60_000);
      case PeerReply.Other o -> assertEquals(h.type(), o.type());
    }
  }

  private static void decodesToItselfOrIsRejected(byte[] body, int chunkCount) {
    int[] indexes;
    try {
      indexes = PeerMessages.haveIndexes(body, chunkCount);
    } catch (FrameException expected) {
      return;
    }
    for (int c : indexes) {
      assertTrue(c >= 0 && c < chunkCount, "chunk " + c + " of " + chunkCount);
    }
    assertArrayEquals(body, encode(indexes));
  }

  /** The body of a {@code have} frame, encoded as the peer server sends it. */
  private static byte[] encode(int[] indexes) {
    ByteBuffer body = ByteBuffer.allocate(4 * indexes.length);
    for (int c : indexes) {
      body.putInt(c);
    }
    return body.array();
  }

  /** A file's chunk count and indexes of some of its chunks. */
  record Have(int chunkCount, int[] indexes) {}

  @Provide
  static Arbitrary<Have> haves() {
    return Arbitraries.integers().between(1, 1 << 20).flatMap(n -> Arbitraries.integers().between(0, n - 1)
        .array(int[].class).ofMaxSize(200).map(ix -> new Have(n, ix)));
  }

  /** Headers of the types a downloader reads, with fields of the right names and any type or value. */
  @Provide
  static Arbitrary<Header> replies() {
    Arbitrary<String> type = Arbitraries.of(PeerMessages.CHUNK, PeerMessages.BITFIELD, PeerMessages.HAVE, "error",
        PeerMessages.MANIFEST_DATA, "later_type");
    Arbitrary<String> name = Arbitraries.of("id", "chunk", "chunks", "count", "code", "message", "retryMs", "file");
    Arbitrary<Object> value = Arbitraries.oneOf(
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.longs().between(-2, 70_000).map(l -> (Object) l),
        Arbitraries.of(ErrorCode.values()).map(c -> (Object) c.wire()),
        Arbitraries.strings().ofMaxLength(5000).map(s -> (Object) s),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) List.of(1L, "x")),
        Arbitraries.just((Object) Header.object().with("a", 1)));
    return Combinators.combine(type, Arbitraries.maps(name, value).ofMaxSize(6)).as((t, fields) -> {
      Header h = Header.of(t);
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        h = h.with(e.getKey(), e.getValue());
      }
      return h;
    });
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }
}
