package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a downloader decodes from a peer besides chunks: the {@code have} message's index list
 * ({@link PeerMessages#haveIndexes}) and every reply header ({@link PeerReply#decode}). Whatever
 * arrives, they return a value or throw {@link FrameException}, and an accepted {@code have}
 * body names only chunks of the file and re-encodes to itself. The peer's bitfield is
 * {@code Bitfield.fromBytes}, whose properties are in the API module. Each property runs
 * {@link Fuzz#cases()} seeded cases (docs/TESTING.md).
 */
class PeerMessagesPropertiesTest {
  /** The reply types a downloader reads, and one it does not know yet. */
  private static final String[] TYPES = {PeerMessages.CHUNK, PeerMessages.BITFIELD, PeerMessages.HAVE, "error",
      PeerMessages.MANIFEST_DATA, "later_type"};
  /** The field names those replies use. */
  private static final String[] NAMES = {"id", "chunk", "chunks", "count", "code", "message", "retryMs", "file", "suggest"};

  @Test
  void haveIndexesRoundTrip() {
    Fuzz.check(c -> {
      Have have = c.draw("have", PeerMessagesPropertiesTest::have);
      assertArrayEquals(have.indexes(), PeerMessages.haveIndexes(encode(have.indexes()), have.chunkCount()));
    });
  }

  @Test
  void arbitraryHaveBodiesAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> decodesToItselfOrIsRejected(c.draw("body", r -> Gen.bytes(r, 200)),
        c.draw("chunkCount", r -> Gen.intIn(r, 0, 1 << 20))));
  }

  @Test
  void mutatedHaveBodiesAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> {
      Have have = c.draw("have", PeerMessagesPropertiesTest::have);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      decodesToItselfOrIsRejected(Mutation.apply(mutations, encode(have.indexes())), have.chunkCount());
    });
  }

  @Test
  void anElsewhereCarriesItsSuggestionsAndTooManyAreABadRequest() throws Exception {
    Header elsewhere = Header.of("error").with("id", 7L).with("code", "elsewhere").with("message", "m")
        .with("retryMs", 900L).with("suggest", List.of(3L, -1L, 5L, 1L << 40));
    PeerReply.Error e = (PeerReply.Error) PeerReply.decode(elsewhere);
    assertArrayEquals(new int[] {3, 5}, e.suggest(), "indexes no file can have are dropped");
    assertEquals(900, e.retryMs());
    Header many = elsewhere.with("suggest", java.util.Collections.nCopies(PeerReply.MAX_SUGGESTIONS + 1, 1L));
    FrameException tooMany = org.junit.jupiter.api.Assertions.assertThrows(FrameException.class, () -> PeerReply.decode(many));
    assertEquals(ErrorCode.BAD_REQUEST, tooMany.error());
    PeerReply.Error busy = (PeerReply.Error) PeerReply.decode(elsewhere.with("code", "busy"));
    assertEquals(0, busy.suggest().length, "only elsewhere suggests");
  }

  @Test
  void replyHeadersDecodeOrAreBadRequests() {
    Fuzz.check(c -> replyDecodesOrIsABadRequest(c.draw("reply", PeerMessagesPropertiesTest::reply)));
  }

  private static void replyDecodesOrIsABadRequest(Header h) {
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
      case PeerReply.Error e -> {
        assertTrue(e.retryMs() >= 0 && e.retryMs() <= 60_000);
        assertTrue(e.suggest().length <= PeerReply.MAX_SUGGESTIONS);
        for (int chunk : e.suggest()) {
          assertTrue(chunk >= 0, "a negative suggestion is dropped");
        }
      }
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

  /** Up to 2^20 chunks, and up to 200 indexes below that, repeats and the last chunk included. */
  static Have have(Random r) {
    int n = Gen.intIn(r, 1, 1 << 20);
    int[] indexes = new int[Gen.size(r, 200)];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = Gen.intIn(r, 0, n - 1);
    }
    return new Have(n, indexes);
  }

  /** Headers of the types a downloader reads, with fields of the right names and any type or value. */
  static Header reply(Random r) {
    Header h = Header.of(Gen.oneOf(r, TYPES));
    for (int n = Gen.intIn(r, 0, 6); n > 0; n--) {
      h = h.with(Gen.oneOf(r, NAMES), switch (r.nextInt(8)) {
        case 0 -> Gen.anyLong(r);
        case 1 -> Gen.longIn(r, -2, 70_000);
        case 2 -> Gen.oneOf(r, ErrorCode.values()).wire();
        case 3 -> Gen.text(r, 5000);
        case 4 -> r.nextBoolean();
        case 5 -> List.of(1L, "x");
        case 6 -> java.util.stream.LongStream.range(0, Gen.intIn(r, 0, 80)).map(i -> Gen.longIn(r, -3, 1L << 33)).boxed().toList();
        default -> Header.object().with("a", 1);
      });
    }
    return h;
  }
}
