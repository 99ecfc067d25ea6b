package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.testkit.fuzz.Allocations;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame reader takes every byte that arrives from the network. Whatever they are, it returns
 * frames, a clean end or an {@link IOException} ({@link FrameException} with a code to answer,
 * or an EOF), never a runtime exception that would escape a connection's thread; what it decodes
 * re-encodes to the same header; and a length it reads is refused before it is allocated. Each
 * property runs {@link Fuzz#cases()} seeded cases (docs/TESTING.md). {@link FrameReaderFuzzTest}
 * keeps its fixed-seed corpus beside these.
 */
class FrameReaderPropertiesTest {
  /** Small limits, so that random input reaches every limit check. */
  private static final Limits SMALL = new Limits(4096, 1 << 16, 8, 256, 64);
  /** Every ASCII character, control characters included. */
  private static final String ASCII = java.util.stream.IntStream.range(0, 0x80)
      .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  /** JSON's tokens, near misses and hard cases (huge numbers, a lone surrogate escape, comments). */
  private static final String[] JSON_TOKENS = {"{", "}", "[", "]", ":", ",", "\"type\"", "\"id\"", "\"ping\"", "\"x\"",
      "1", "-1", "0", "99999999999999999999", "-9223372036854775808", "1.5e300", "true", "false", "null", " ",
      "\"\\u0000\"", "\"\\ud800\"", "\"\\\"\"", "\"\\", "\u00e9", "\"caf\u00e9\"", "/*", "*/", "'a'", "NaN"};

  @Test
  void framesRoundTripHoweverTheStreamIsCut() {
    Fuzz.check(c -> {
      List<Frame> frames = c.draw("frames", FrameReaderPropertiesTest::frames);
      int bufferBytes = c.draw("bufferBytes", r -> Gen.intIn(r, 0, 64));
      int trickle = c.draw("trickle", r -> Gen.intIn(r, 1, 300));
      FrameReader reader = new FrameReader(new Trickle(encode(frames), trickle), bufferBytes, Limits.DEFAULTS);
      for (int i = 0; i < frames.size(); i++) {
        Frame f = frames.get(i);
        assertEquals(f.header(), reader.next());
        assertEquals(f.body().length, reader.bodyLength());
        byte[] body;
        switch (i % 3) {
          case 0 -> body = reader.readBody(f.body().length);
          case 1 -> {
            ByteBuffer b = ByteBuffer.allocateDirect(f.body().length + 3);
            reader.readBody(b, null);
            body = new byte[f.body().length];
            b.flip().get(body);
          }
          default -> {
            body = new byte[f.body().length + 2];
            reader.readBody(body, 2);
            body = java.util.Arrays.copyOfRange(body, 2, body.length);
          }
        }
        assertArrayEquals(f.body(), body);
      }
      assertNull(reader.next(), "a clean end of stream after the last frame");
    });
  }

  @Test
  void arbitraryBytesGiveFramesOrAnIoException() {
    Fuzz.check(c -> {
      byte[] junk = c.draw("junk", r -> Gen.bytes(r, 600));
      boolean plausiblePrefix = c.draw("plausiblePrefix", Random::nextBoolean);
      int bufferBytes = c.draw("bufferBytes", r -> Gen.intIn(r, 0, 32));
      if (plausiblePrefix && junk.length >= 8) {
        // Lengths that fit, so the JSON parser (not just the prefix check) sees the junk.
        ByteBuffer.wrap(junk).putInt(Math.floorMod(junk[0], junk.length - 7)).putInt(junk[1] & 3);
      }
      readAllDecodingEveryHeader(junk, bufferBytes);
    });
  }

  @Test
  void jsonLikeHeadersGiveFramesOrAnIoException() {
    Fuzz.check(c -> {
      String json = c.draw("json", FrameReaderPropertiesTest::jsonish);
      int body = c.draw("body", r -> Gen.intIn(r, 0, 3));
      byte[] header = json.getBytes(StandardCharsets.UTF_8);
      readAllDecodingEveryHeader(ByteBuffer.allocate(8 + header.length + body).putInt(header.length).putInt(body)
          .put(header).array(), 0);
    });
  }

  @Test
  void mutatedFramesAreRejectedCleanlyOrReencodeToTheSameHeader() {
    Fuzz.check(c -> {
      List<Frame> frames = c.draw("frames", FrameReaderPropertiesTest::frames);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      readAllDecodingEveryHeader(Mutation.apply(mutations, encode(frames)), 0);
    });
  }

  @Test
  void aLengthPastTheLimitIsRefusedAfterThePrefixWithoutAllocatingIt() {
    Fuzz.check(c -> {
      boolean headerTooLong = c.draw("headerTooLong", Random::nextBoolean);
      long any = c.draw("any", r -> Gen.longIn(r, 0, 0xFFFFFFFFL));
      long other = c.draw("other", r -> Gen.longIn(r, 0, 0xFFFFFFFFL));
      byte[] rest = c.draw("rest", r -> Gen.bytes(r, 100));
      long headerLength = headerTooLong ? Math.max(any, SMALL.maxHeaderBytes() + 1L) : other % (SMALL.maxHeaderBytes() + 1L);
      long bodyLength = headerTooLong ? other : Math.max(any, SMALL.maxBodyBytes() + 1L);
      byte[] bytes = ByteBuffer.allocate(8 + rest.length).putInt((int) headerLength).putInt((int) bodyLength).put(rest).array();
      FrameCodecTest.CountingStream in = new FrameCodecTest.CountingStream(new ByteArrayInputStream(bytes));
      FrameReader reader = new FrameReader(in, SMALL);
      long before = Allocations.soFar();
      FrameException e = assertThrows(FrameException.class, reader::next);
      long allocated = Allocations.soFar() - before;
      assertEquals(ErrorCode.TOO_LARGE, e.error());
      assertEquals(8, in.count, "nothing past the prefix was read");
      assertTrue(allocated < 1024 * 1024, "a claim of " + headerLength + "+" + bodyLength + " bytes allocated " + allocated);
    });
  }

  @Test
  void aBodyPastTheCallersCapIsRefusedWithoutAllocatingIt() {
    Fuzz.check(c -> {
      int bodyLength = c.draw("bodyLength", r -> Gen.intIn(r, 4 << 20, Limits.DEFAULT_MAX_BODY_BYTES));
      int cap = c.draw("cap", r -> Gen.intIn(r, 0, 1 << 16));
      byte[] header = "{\"type\":\"chunk\"}".getBytes(StandardCharsets.US_ASCII);
      byte[] bytes = ByteBuffer.allocate(8 + header.length + 10).putInt(header.length).putInt(bodyLength).put(header).array();
      FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), Limits.DEFAULTS);
      reader.next();
      long before = Allocations.soFar();
      assertEquals(ErrorCode.TOO_LARGE, assertThrows(FrameException.class, () -> reader.readBody(cap)).error());
      long allocated = Allocations.soFar() - before;
      assertTrue(allocated < 1024 * 1024, "a body of " + bodyLength + " bytes over a cap of " + cap + " allocated " + allocated);
    });
  }

  private static Header reread(Header h) throws IOException {
    Header back = new FrameReader(new ByteArrayInputStream(encode(List.of(new Frame(h, new byte[0])))), SMALL).next();
    assertTrue(back != null, "a written header reads back");
    return back;
  }

  /**
   * Reads every frame of {@code bytes}, checking that each header re-encodes to itself and that
   * its typed getters fail only with {@link FrameException}; only an {@link IOException} may end it.
   */
  private static void readAllDecodingEveryHeader(byte[] bytes, int bufferBytes) {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), bufferBytes, SMALL);
    try {
      for (Header h = reader.next(); h != null; h = reader.next()) {
        // A value the reader keeps only as a placeholder (a number outside 64 bits in a field it
        // ignores, docs/PROTOCOL.md) is written back as null: so the first re-encoding may differ
        // from what was read, and from then on it must be stable.
        Header once = reread(h);
        Header twice = reread(once);
        assertEquals(once, twice, () -> "re-encoded " + once.fields() + "\n  then " + twice.fields());
        for (String name : h.fields().keySet()) {
          getters(h, name);
        }
        getters(h, "missing");
        reader.readBody((int) Math.min(reader.bodyLength(), 1 << 16));
      }
    } catch (IOException expected) {
      // FrameException or EOFException: the documented failures
    }
  }

  private static void getters(Header h, String name) {
    h.type();
    h.id();
    h.has(name);
    List<ThrowingGetter> all = List.of(() -> h.string(name, 8), () -> h.optString(name, 100),
        () -> h.optStrings(name, 3, 5), () -> h.number(name, -5, 5), () -> h.integer(name, 0, Integer.MAX_VALUE),
        () -> h.bool(name, false), () -> h.objects(name), () -> h.numbers(name));
    for (ThrowingGetter g : all) {
      try {
        g.get();
      } catch (FrameException expected) {
        assertEquals(ErrorCode.BAD_REQUEST, expected.error());
      }
    }
  }

  private interface ThrowingGetter {
    Object get() throws FrameException;
  }

  /** A header and its body. */
  record Frame(Header header, byte[] body) {}

  static byte[] encode(List<Frame> frames) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      FrameWriter w = new FrameWriter(out);
      for (Frame f : frames) {
        w.write(f.header(), f.body(), 0, f.body().length);
      }
      w.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One to three frames, each a header and up to 100 bytes of body. */
  static List<Frame> frames(Random r) {
    return Gen.list(r, 1, 3, g -> new Frame(header(g), Gen.exactBytes(g, Gen.intIn(g, 0, 100))));
  }

  /** Headers of every value kind, with objects and arrays nested up to four levels deep. */
  static Header header(Random r) {
    String type = string(r, 16);
    return build(Header.of(type.isEmpty() ? "t" : type), r, 2);
  }

  /** Up to four fields named by short strings, holding values nested up to {@code depth} levels. */
  private static Header build(Header h, Random r, int depth) {
    for (int n = Gen.intIn(r, 0, 4); n > 0; n--) {
      String name = string(r, 8);
      if (!name.equals("type")) {
        h = h.with(name, value(r, depth));
      }
    }
    return h;
  }

  /** A string, number or boolean; below {@code depth} 0, one time in four an object or an array. */
  private static Object value(Random r, int depth) {
    int kind = r.nextInt(8);
    if (depth > 0 && kind == 6) {
      return build(Header.object(), r, depth - 1);
    }
    if (depth > 0 && kind == 7) {
      return new ArrayList<>(Gen.list(r, 0, 4, g -> value(g, depth - 1)));
    }
    return switch (r.nextInt(3)) {
      case 0 -> string(r, 16);
      case 1 -> Gen.anyLong(r);
      default -> r.nextBoolean();
    };
  }

  /**
   * Text of ASCII (control characters and quotes included, which JSON escapes), two- and
   * three-byte characters and a surrogate pair (standing in as U+4E2D while generated). Never a
   * lone surrogate: that is not Unicode text, and the reader rightly refuses it.
   */
  private static String string(Random r, int maxLength) {
    return Gen.string(r, maxLength, ASCII + "\u00e9\u2603\u4e2d").replace("\u4e2d", "\ud83d\ude00");
  }

  /** Text made of JSON's own tokens, so that random headers are nearly JSON. */
  static String jsonish(Random r) {
    return "{\"type\":\"t\"," + String.join("", Gen.list(r, 0, 40, g -> Gen.oneOf(g, JSON_TOKENS)));
  }

  /** A stream that hands out at most {@code step} bytes per read, as a slow socket would. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final int step;

    Trickle(byte[] bytes, int step) {
      this.in = new ByteArrayInputStream(bytes);
      this.step = step;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, step));
    }
  }
}
