package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes arrive, the reader returns frames, a clean end, or an
 * {@link IOException} ({@link FrameException}, {@link EOFException}); never a runtime exception
 * that would escape a connection's thread. Seeds are fixed so a failure can be replayed.
 */
class FrameReaderFuzzTest {
  private static final Limits SMALL = new Limits(4096, 1 << 16, 8, 256, 64);

  @Test
  void randomBytesNeverThrowARuntimeException() {
    Random r = new Random(20250101);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[r.nextInt(300)];
      r.nextBytes(junk);
      if (junk.length >= 8 && r.nextBoolean()) {
        // Make the lengths plausible so the parser, not just the prefix check, sees the junk.
        int h = r.nextInt(junk.length - 7);
        junk[0] = 0;
        junk[1] = 0;
        junk[2] = (byte) (h >>> 8);
        junk[3] = (byte) h;
        junk[4] = junk[5] = junk[6] = 0;
        junk[7] = (byte) r.nextInt(4);
      }
      readAll(junk, i);
    }
  }

  @Test
  void mutatedValidFramesNeverThrowARuntimeException() throws Exception {
    List<String> seeds = List.of(
        "{\"type\":\"register\",\"id\":1,\"file\":\"" + "ab".repeat(32) + "\",\"name\":\"x\",\"size\":1,\"chunkSize\":16384}",
        "{\"type\":\"peer_list\",\"id\":7,\"chunks\":3,\"peers\":[{\"peer\":\"p\",\"host\":\"h\",\"port\":1,\"have\":1,\"seen\":0}]}",
        "{\"type\":\"search\",\"id\":2,\"text\":\"caf\\u00e9 \\\"x\\\"\",\"limit\":5,\"deep\":[[[1],[2]],{\"a\":{\"b\":null}}]}",
        "{\"type\":\"hello\",\"version\":1,\"peer\":\"abc\",\"role\":\"client\",\"f\":1.5e300,\"t\":true}");
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] header = seeds.get(i % seeds.size()).getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(java.nio.ByteBuffer.allocate(8).putInt(header.length).putInt(r.nextInt(3)).array());
      frame.write(header);
      frame.write(new byte[] {1, 2});
      byte[] bytes = frame.toByteArray();
      int mutations = 1 + r.nextInt(4);
      for (int m = 0; m < mutations && bytes.length > 0; m++) {
        int at = r.nextInt(bytes.length);
        switch (r.nextInt(3)) {
          case 0 -> bytes[at] = (byte) r.nextInt(256);
          case 1 -> bytes[at] ^= (byte) (1 << r.nextInt(8));
          default -> bytes = java.util.Arrays.copyOf(bytes, at);
        }
      }
      readAll(bytes, i);
    }
  }

  private static void readAll(byte[] bytes, int iteration) {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), SMALL);
    try {
      for (int frames = 0; frames < 100; frames++) {
        Header h = reader.next();
        if (h == null) {
          return;
        }
        // Typed getters must fail as bad_request, never with a ClassCastException.
        h.type();
        h.id();
        try {
          h.string("peer", 64);
        } catch (FrameException expected) {
          // mistyped or missing
        }
        try {
          h.objects("peers");
        } catch (FrameException expected) {
          // mistyped or missing
        }
        reader.readBody(1 << 16);
      }
    } catch (IOException expected) {
      // FrameException, EOFException: the documented failures
    } catch (RuntimeException e) {
      fail("iteration " + iteration + ": " + e + " on " + java.util.HexFormat.of().formatHex(bytes), e);
    }
  }
}
