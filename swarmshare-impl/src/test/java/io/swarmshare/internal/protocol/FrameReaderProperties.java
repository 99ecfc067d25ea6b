package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.testkit.Allocations;
import io.swarmshare.testkit.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The frame reader takes every byte that arrives from the network. Whatever they are, it returns
 * frames, a clean end or an {@link IOException} ({@link FrameException} with a code to answer,
 * or an EOF), never a runtime exception that would escape a connection's thread; what it decodes
 * re-encodes to the same header; and a length it reads is refused before it is allocated. The
 * number of tries comes from {@code junit-platform.properties} (docs/TESTING.md).
 * {@link FrameReaderFuzzTest} keeps its fixed-seed corpus beside these.
 */
class FrameReaderProperties {
  /** Small limits, so that random input reaches every limit check. */
  private static final Limits SMALL = new Limits(4096, 1 << 16, 8, 256, 64);

  @Property
  void framesRoundTripHoweverTheStreamIsCut(
      @ForAll("frames") List<Frame> frames, @ForAll @IntRange(min = 0, max = 64) int bufferBytes,
      @ForAll @IntRange(min = 1, max = 300) int trickle) throws IOException {
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
  }

  @Property
  void arbitraryBytesGiveFramesOrAnIoException(
      @ForAll @Size(max = 600) byte[] junk, @ForAll boolean plausiblePrefix, @ForAll @IntRange(max = 32) int bufferBytes) {
    if (plausiblePrefix && junk.length >= 8) {
      // Lengths that fit, so the JSON parser (not just the prefix check) sees the junk.
      ByteBuffer.wrap(junk).putInt(Math.floorMod(junk[0], junk.length - 7)).putInt(junk[1] & 3);
    }
    readAllDecodingEveryHeader(junk, bufferBytes);
  }

  @Property
  void jsonLikeHeadersGiveFramesOrAnIoException(@ForAll("jsonish") String json, @ForAll @IntRange(max = 3) int body) {
    byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    readAllDecodingEveryHeader(ByteBuffer.allocate(8 + header.length + body).putInt(header.length).putInt(body)
        .put(header).array(), 0);
  }

  @Property
  void mutatedFramesAreRejectedCleanlyOrReencodeToTheSameHeader(
      @ForAll("frames") List<Frame> frames, @ForAll("mutations") List<Mutation> mutations) throws IOException {
    readAllDecodingEveryHeader(Mutation.apply(mutations, encode(frames)), 0);
  }

  @Property
  void aLengthPastTheLimitIsRefusedAfterThePrefixWithoutAllocatingIt(
      @ForAll boolean headerTooLong, @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long any,
      @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long other, @ForAll @Size(max = 100) byte[] rest) {
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
  }

  @Property
  void aBodyPastTheCallersCapIsRefusedWithoutAllocatingIt(
      @ForAll @IntRange(min = 4 << 20, max = Limits.DEFAULT_MAX_BODY_BYTES) int bodyLength,
      @ForAll @IntRange(min = 0, max = 1 << 16) int cap) throws IOException {
    byte[] header = "{\"type\":\"chunk\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bytes = ByteBuffer.allocate(8 + header.length + 10).putInt(header.length).putInt(bodyLength).put(header).array();
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), Limits.DEFAULTS);
    reader.next();
    long before = Allocations.soFar();
    assertEquals(ErrorCode.TOO_LARGE, assertThrows(FrameException.class, () -> reader.readBody(cap)).error());
    long allocated = Allocations.soFar() - before;
    assertTrue(allocated < 1024 * 1024, "a body of " + bodyLength + " bytes over a cap of " + cap + " allocated " + allocated);
  }

  /**
   * Reads every frame of {@code bytes}, checking that each header re-encodes to itself and that
   * its typed getters fail only with {@link FrameException}; only an {@link IOException} may end it.
   */
  private static void readAllDecodingEveryHeader(byte[] bytes, int bufferBytes) {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), bufferBytes, SMALL);
    try {
      for (Header h = reader.next(); h != null; h = reader.next()) {
        byte[] again = encode(List.of(new Frame(h, new byte[0])));
        assertEquals(h, new FrameReader(new ByteArrayInputStream(again), SMALL).next(), "re-encoded " + h);
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

  @Provide
  static Arbitrary<List<Frame>> frames() {
    // Bodies are drawn from a seed: jqwik builds arrays element by element, which is slow.
    Arbitrary<byte[]> bodies = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 100)).as((seed, n) -> {
      byte[] b = new byte[n];
      new java.util.Random(seed).nextBytes(b);
      return b;
    });
    return Combinators.combine(headers(), bodies).as(Frame::new).list().ofMinSize(1).ofMaxSize(3);
  }

  /** Headers of every value kind, with objects and arrays nested up to four levels deep. */
  @Provide
  static Arbitrary<Header> headers() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(strings(16).map(s -> s), Arbitraries.longs().map(l -> l),
        Arbitraries.of(true, false).map(b -> b));
    Arbitrary<Object> values = leaf;
    for (int depth = 0; depth < 2; depth++) {
      Arbitrary<Object> object = fields(values).map(fs -> (Object) build(Header.object(), fs));
      Arbitrary<Object> list = values.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
      values = Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(1, object), Tuple.of(1, list));
    }
    return Combinators.combine(strings(16).filter(s -> !s.isEmpty()), fields(values))
        .as((type, fields) -> build(Header.of(type), fields));
  }

  private static Arbitrary<Map<String, Object>> fields(Arbitrary<Object> values) {
    return Arbitraries.maps(strings(8), values).ofMaxSize(4);
  }

  private static Header build(Header h, Map<String, Object> fields) {
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!e.getKey().equals("type")) {
        h = h.with(e.getKey(), e.getValue());
      }
    }
    return h;
  }

  /**
   * Text of ASCII (control characters and quotes included, which JSON escapes), two- and
   * three-byte characters and a surrogate pair (standing in as U+4E2D while generated). Never a
   * lone surrogate: that is not Unicode text, and the reader rightly refuses it.
   */
  private static Arbitrary<String> strings(int maxLength) {
    return Arbitraries.strings().withCharRange('\u0000', '\u007f').withChars("\u00e9\u2603\u4e2d").ofMaxLength(maxLength)
        .map(s -> s.replace("\u4e2d", "\ud83d\ude00"));
  }

  /** Text made of JSON's own tokens, so that random headers are nearly JSON. */
  @Provide
  static Arbitrary<String> jsonish() {
    Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"type\"", "\"id\"", "\"ping\"", "\"x\"",
        "1", "-1", "0", "99999999999999999999", "-9223372036854775808", "1.5e300", "true", "false", "null", " ",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\\"\"", "\"\\", "\u00e9", "\"caf\u00e9\"", "/*", "*/", "'a'", "NaN");
    return token.list().ofMaxSize(40).map(ts -> "{\"type\":\"t\"," + String.join("", ts));
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
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
