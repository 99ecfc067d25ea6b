package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  static byte[] encode(Header h, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(out);
    w.write(h, body, 0, body.length);
    w.flush();
    return out.toByteArray();
  }

  static FrameReader reader(byte[] bytes) {
    return new FrameReader(new ByteArrayInputStream(bytes), Limits.DEFAULTS);
  }

  @Test
  void everyValueKindRoundTrips() throws Exception {
    Header h = Header.request("peer_list", 42).with("text", "héllo \"wörld\" \u2603").with("n", Long.MIN_VALUE)
        .with("flag", true).with("list", List.of(Header.object().with("a", 1), Header.object().with("b", "x")))
        .with("numbers", List.of(1L, 2L, 3L));
    byte[] body = {0, 1, 2, (byte) 0xFF};
    FrameReader r = reader(encode(h, body));
    Header back = r.next();
    assertEquals(h, back);
    assertEquals(42, back.id());
    assertEquals(4, r.bodyLength());
    assertArrayEquals(body, r.readBody(10));
    assertNull(r.next(), "clean end of stream between frames");
  }

  @Test
  void pipelinedFramesAreReadInOrderAndUnreadBodiesAreSkipped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      out.writeBytes(encode(Header.request("ping", i), new byte[i * 1000]));
    }
    FrameReader r = reader(out.toByteArray());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, r.next().id());
    }
    assertNull(r.next());
  }

  @Test
  void aHugeLengthClaimIsRefusedAfterReadingOnlyThePrefix() throws Exception {
    byte[] prefix = {0x7F, -1, -1, -1, 0, 0, 0, 0};
    CountingStream in = new CountingStream(new ByteArrayInputStream(prefix));
    FrameException e = assertThrows(FrameException.class, () -> new FrameReader(in, Limits.DEFAULTS).next());
    assertEquals(ErrorCode.TOO_LARGE, e.error());
    assertEquals(8, in.count, "nothing past the prefix was read, nothing allocated");
  }

  @Test
  void aBodyPastThePerMessageCapIsRefusedBeforeAllocation() throws Exception {
    FrameReader r = reader(encode(Header.of("ping"), new byte[100]));
    r.next();
    assertEquals(ErrorCode.TOO_LARGE, assertThrows(FrameException.class, () -> r.readBody(99)).error());
  }

  @Test
  void malformedHeadersMapToTheirCodes() throws Exception {
    assertCode(ErrorCode.BAD_FRAME, "[1,2]");
    assertCode(ErrorCode.BAD_FRAME, "{\"id\":1}");
    assertCode(ErrorCode.BAD_FRAME, "{\"type\":\"ping\"} trailing");
    assertCode(ErrorCode.BAD_FRAME, "{\"type\":\"ping\",\"type\":\"pong\"}");
    assertCode(ErrorCode.BAD_FRAME, "{\"type\":\"ping\"");
    assertCode(ErrorCode.TOO_LARGE, "{\"type\":\"ping\",\"a\":" + "[".repeat(20) + "]".repeat(20) + "}");
    assertCode(ErrorCode.TOO_LARGE, "{\"type\":\"ping\",\"n\":-99999999999999999999}");
  }

  @Test
  void mistypedFieldsAreBadRequestsNamingTheField() throws Exception {
    Header h = reader(encode(Header.of("peers").with("file", 12L).with("limit", "ten"), new byte[0])).next();
    FrameException e = assertThrows(FrameException.class, () -> h.string("file", 64));
    assertEquals(ErrorCode.BAD_REQUEST, e.error());
    assertEquals("peers: field 'file' must be a string", e.getMessage());
    assertEquals("peers: field 'missing' must be a whole number and is missing",
        assertThrows(FrameException.class, () -> h.number("missing", 0, 1)).getMessage());
  }

  @Test
  void aFrameCutShortIsAnEofNotAFrame() throws Exception {
    byte[] whole = encode(Header.request("ping", 1), new byte[10]);
    for (int cut = 1; cut < whole.length; cut++) {
      FrameReader r = reader(java.util.Arrays.copyOf(whole, cut));
      assertThrows(EOFException.class, () -> {
        r.next();
        r.readBody(100);
      }, "cut at " + cut);
    }
  }

  private static void assertCode(ErrorCode code, String json) {
    byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] frame = java.nio.ByteBuffer.allocate(8 + header.length).putInt(header.length).putInt(0).put(header).array();
    FrameException e = assertThrows(FrameException.class, () -> reader(frame).next(), json);
    assertEquals(code, e.error(), json + ": " + e.getMessage());
  }

  static final class CountingStream extends InputStream {
    private final InputStream in;
    int count;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(0, n);
      return n;
    }
  }
}
