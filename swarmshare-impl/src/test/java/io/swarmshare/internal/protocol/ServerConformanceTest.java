package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.peer.ServedFiles;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.internal.tracker.ServerSettings;
import io.swarmshare.internal.tracker.TrackerServer;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.RawClient;
import io.swarmshare.testkit.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client written from docs/PROTOCOL.md alone checks, against both real servers over
 * loopback: a tracker and a peer answer the same frame the same way. The client speaks from
 * 127.0.0.2, as a stranger on another machine would; the servers listen on 127.0.0.1.
 */
@Timeout(120)
class ServerConformanceTest {
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
  static final String FROM = "127.0.0.2";
  static final String EMOJI = "\uD83D\uDE00"; // one character (code point), two UTF-16 units, four UTF-8 bytes

  /** The two servers; each has one request that any client may send and that is answered. */
  enum Kind {
    TRACKER("pong"), PEER("bitfield");

    final String replyType;

    Kind(String replyType) {
      this.replyType = replyType;
    }
  }

  @TempDir Path dir;
  private Kind kind;
  private Manifest manifest;
  private AutoCloseable server;
  private InetSocketAddress address;

  private void start(Kind k) throws Exception {
    kind = k;
    Path file = TestFiles.random(dir, "f.bin", 3 * 16384 + 5, 1);
    manifest = SwarmShare.manifest(file, 16384, n -> { });
    if (k == Kind.TRACKER) {
      InMemoryTracker tracker = new InMemoryTracker();
      tracker.register(manifest, "f.bin");
      TrackerServer s = TrackerServer.start(tracker, new TcpTransport(), new InetSocketAddress("127.0.0.1", 0),
          ServerSettings.defaults().withSelf(new PeerId("tracker")));
      server = s;
      address = s.address();
    } else {
      ServedFiles files = new ServedFiles();
      files.put(FileStore.seeding(file, manifest));
      PeerServer s = new PeerServer(new TcpTransport(), new InetSocketAddress("127.0.0.1", 0), new PeerId("server"),
          files, RateLimiter.of(0), PeerServer.Caps.DEFAULTS);
      server = s;
      address = s.address();
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  // ---- frames ----

  /** The answered request of this server, with {@code id} as written and {@code extra} fields. */
  private String request(@Nullable String id, String extra) {
    String idField = id == null ? "" : ",\"id\":" + id;
    return kind == Kind.TRACKER
        ? "{\"type\":\"ping\"" + idField + extra + "}"
        : "{\"type\":\"bitfield\"" + idField + ",\"file\":\"" + manifest.id() + "\"" + extra + "}";
  }

  /** A request of this server whose known integer field holds 2^63, one past 64 bits. */
  private String outOfRange(long id) {
    return kind == Kind.TRACKER
        ? "{\"type\":\"peers\",\"id\":" + id + ",\"file\":\"" + manifest.id() + "\",\"limit\":9223372036854775808}"
        : "{\"type\":\"get\",\"id\":" + id + ",\"file\":\"" + manifest.id() + "\",\"chunk\":9223372036854775808}";
  }

  static byte[] frame(byte[] header, byte[] body) {
    return ByteBuffer.allocate(8 + header.length + body.length).putInt(header.length).putInt(body.length)
        .put(header).put(body).array();
  }

  static byte[] frame(String json) {
    return frame(json.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  /** A header whose JSON text is {@code before}, then raw {@code bytes}, then {@code after}. */
  static byte[] withRawBytes(String before, int[] bytes, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    for (int b : bytes) {
      out.write(b);
    }
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return frame(out.toByteArray(), new byte[0]);
  }

  // ---- connections and expectations ----

  private RawClient helloed() throws IOException {
    RawClient c = new RawClient(address, FROM);
    c.hello(new PeerId("clean-room"));
    return c;
  }

  private static Header answer(RawClient c) throws IOException {
    Header h = c.next();
    assertNotNull(h, "the server closed instead of answering");
    return h;
  }

  /** Sends the answered request with {@code id} and checks the reply (so the connection is open). */
  private void expectServed(RawClient c, long id) throws IOException {
    c.sendRaw(frame(request(Long.toString(id), "")));
    Header h = answer(c);
    assertEquals(kind.replyType, h.type(), h.toString());
    assertEquals(id, h.id(), h.toString());
  }

  private static void expectError(RawClient c, String code, long id) throws IOException {
    Header h = answer(c);
    assertEquals("error", h.type(), h.toString());
    assertEquals(code, h.string("code", 64), h.toString());
    assertEquals(id, h.number("id", 0, Long.MAX_VALUE), "the error echoes the request's id: " + h);
  }

  /** An error without an id, then a close: the rule for every error without an id. */
  private static void expectIdlessErrorThenClose(RawClient c, String code, String what) throws IOException {
    Header h = answer(c);
    assertEquals("error", h.type(), what + ": " + h);
    assertEquals(code, h.string("code", 64), what + ": " + h);
    assertFalse(h.has("id"), what + ": no id may be echoed: " + h);
    assertTrue(c.awaitClose(CLOSE_WITHIN), what + ": an error without an id closes the connection");
  }

  // ---- the tests ----

  @ParameterizedTest
  @EnumSource(Kind.class)
  void unknownFieldsAreIgnoredWhateverTheirValue(Kind k) throws Exception {
    start(k);
    List<String> extras = List.of(
        ",\"x\":99999999999999999999", // 20 digits, outside 64 bits
        ",\"x\":9223372036854775808", // 2^63
        ",\"x\":-9999999999999999999", // 20 characters with the sign, below -2^63
        ",\"x\":1.5e300,\"y\":-0.5,\"z\":null",
        ",\"x\":{\"a\":[{\"b\":[[[[1]]]]}]}", // depth 8 with the header object as 1: the limit
        ",\"x\":[true,false,\"s\",{}],\"y\":\"\\ud83d\\ude00\"",
        ",\"x\":\"" + EMOJI.repeat(4096) + "\"", // 4 096 characters: the string limit
        ",\"" + EMOJI.repeat(256) + "\":1"); // a field name of 256 characters: its limit
    try (RawClient c = helloed()) {
      for (int i = 0; i < extras.size(); i++) {
        c.sendRaw(frame(request(Integer.toString(i), extras.get(i))));
        Header h = answer(c);
        assertEquals(kind.replyType, h.type(), "unknown field " + i + " must be ignored: " + h);
        assertEquals(i, h.id());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aKnownFieldOutside64BitsIsBadRequestWithTheIdAndTheConnectionStaysOpen(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame(outOfRange(5)));
      expectError(c, "bad_request", 5);
      expectServed(c, 6);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anUnusableIdGetsAnIdlessBadRequestAndACloseAndIsNeverEchoed(Kind k) throws Exception {
    start(k);
    Arrays.asList("-1", null, "\"7\"", "1.0", "1e2", "true", "null", "9007199254740992", "9223372036854775808")
        .forEach(id -> {
          try (RawClient c = helloed()) {
            c.sendRaw(frame(request(id, "")));
            expectIdlessErrorThenClose(c, "bad_request", "id " + id);
          } catch (IOException e) {
            throw new AssertionError("id " + id, e);
          }
        });
    try (RawClient c = helloed()) {
      expectServed(c, 0);
      expectServed(c, (1L << 53) - 1); // the largest id
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void limitsCountCharactersAsCodePoints(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame(request("1", ",\"x\":\"" + EMOJI.repeat(4097) + "\"")));
      expectIdlessErrorThenClose(c, "too_large", "a string of 4 097 characters");
    }
    try (RawClient c = helloed()) {
      c.sendRaw(frame(request("1", ",\"" + EMOJI.repeat(257) + "\":1")));
      expectIdlessErrorThenClose(c, "too_large", "a field name of 257 characters");
    }
    try (RawClient c = helloed()) {
      c.sendRaw(frame(request("1", ",\"x\":-12345678901234567890"))); // 21 characters
      expectIdlessErrorThenClose(c, "too_large", "a number of 21 characters");
    }
  }

  @Test
  void trackerNamesAndSearchTextsCountCodePoints() throws Exception {
    start(Kind.TRACKER);
    try (RawClient c = helloed()) {
      String register = "{\"type\":\"register\",\"id\":1,\"file\":\"" + manifest.id() + "\",\"name\":\"%s\",\"size\":"
          + manifest.size() + ",\"chunkSize\":" + manifest.chunkSize() + "}";
      c.sendRaw(frame(String.format(register, EMOJI.repeat(255)).getBytes(StandardCharsets.UTF_8),
          manifest.canonicalBytes()));
      assertEquals("ok", answer(c).type(), "a name of 255 characters is within the limit");
      c.sendRaw(frame(String.format(register, EMOJI.repeat(256)).getBytes(StandardCharsets.UTF_8),
          manifest.canonicalBytes()));
      expectError(c, "bad_request", 1);
      c.sendRaw(frame("{\"type\":\"search\",\"id\":2,\"text\":\"" + EMOJI.repeat(255) + "\",\"limit\":5}"));
      Header found = answer(c);
      assertEquals("search_results", found.type(), found.toString());
      assertEquals(EMOJI.repeat(255), found.objects("results").getFirst().string("name", 255));
      c.sendRaw(frame("{\"type\":\"search\",\"id\":3,\"text\":\"" + EMOJI.repeat(256) + "\",\"limit\":5}"));
      expectError(c, "bad_request", 3);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void textThatIsNotUnicodeIsBadRequestWithoutIdAndCloses(Kind k) throws Exception {
    start(k);
    String before = request("1", ",\"x\":\"a");
    before = before.substring(0, before.length() - 1); // the header up to the open string
    List<byte[]> frames = List.of(
        frame(request("1", ",\"x\":\"\\ud800\"")), // a lone high surrogate escape
        frame(request("1", ",\"x\":\"\\udc00\\ud800\"")), // a pair in the wrong order
        frame(request("1", ",\"\\ud800\":1")), // in a field name
        withRawBytes(before, new int[] {0xED, 0xA0, 0x80}, "\"}"), // a surrogate encoded in UTF-8
        withRawBytes(before, new int[] {0xC0, 0xAF}, "\"}"), // an overlong '/'
        withRawBytes(before, new int[] {0xF4, 0x90, 0x80, 0x80}, "\"}"), // above U+10FFFF
        withRawBytes(before, new int[] {0xE2, 0x82}, "\"}"), // a sequence cut short
        withRawBytes(before, new int[] {0xFF}, "\"}"));
    for (int i = 0; i < frames.size(); i++) {
      try (RawClient c = helloed()) {
        c.sendRaw(frames.get(i));
        expectIdlessErrorThenClose(c, "bad_request", "case " + i);
      }
    }
    if (k == Kind.TRACKER) {
      try (RawClient c = helloed()) {
        c.sendRaw(frame("{\"type\":\"search\",\"id\":1,\"text\":\"\\ud800\",\"limit\":5}"));
        expectIdlessErrorThenClose(c, "bad_request", "a lone surrogate as search text");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aHeaderThatIsNotUtf8JsonTextIsBadFrame(Kind k) throws Exception {
    start(k);
    byte[] json = request("1", "").getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[json.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, bom, 3, json.length);
    List<byte[]> headers = List.of(bom, request("1", "").getBytes(StandardCharsets.UTF_16LE),
        request("1", "").getBytes(StandardCharsets.UTF_16BE));
    for (byte[] header : headers) {
      try (RawClient c = helloed()) {
        c.sendRaw(frame(header, new byte[0]));
        expectIdlessErrorThenClose(c, "bad_frame", "a BOM or UTF-16");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void headerLengthZeroIsBadFrameAndCloses(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(new byte[8]);
      expectIdlessErrorThenClose(c, "bad_frame", "headerLength 0");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void nestingDeeperThan8WithTheHeaderObjectAs1IsTooLarge(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame(request("1", ",\"x\":[[[[[[[[1]]]]]]]]"))); // 1 + 8 arrays = 9
      expectIdlessErrorThenClose(c, "too_large", "depth 9");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBodyOnARequestThatTakesNoneIsBadRequestWithTheIdAndIsSkipped(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame(request("3", "").getBytes(StandardCharsets.UTF_8), new byte[10]));
      expectError(c, "bad_request", 3);
      expectServed(c, 4);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anErrorFromTheClientIsNeverAnsweredAndClosesWithoutAnIdOrWithAClosingCode(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"error\",\"id\":3,\"code\":\"not_found\",\"message\":\"no such thing\"}"));
      expectServed(c, 4); // the first frame back answers 4: the error got no answer
    }
    for (String error : List.of("{\"type\":\"error\",\"code\":\"busy\",\"message\":\"going\"}",
        "{\"type\":\"error\",\"id\":3,\"code\":\"out_of_order\",\"message\":\"going\"}")) {
      try (RawClient c = helloed()) {
        c.sendRaw(frame(error));
        assertNull(c.next(), "the server closes without a word after " + error);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anUnknownTypeIsUnknownTypeWithTheIdOrWithoutAnIdABadRequestThatCloses(Kind k) throws Exception {
    start(k);
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"frobnicate\",\"id\":8,\"x\":1}"));
      expectError(c, "unknown_type", 8);
      expectServed(c, 9);
      c.sendRaw(frame("{\"type\":\"a" + EMOJI.repeat(1500) + "\",\"id\":10}")); // quoted back, cut short
      expectError(c, "unknown_type", 10);
      expectServed(c, 11);
    }
    try (RawClient c = helloed()) {
      c.sendRaw(frame("{\"type\":\"frobnicate\",\"x\":1}"));
      expectIdlessErrorThenClose(c, "bad_request", "an unknown type without an id");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aHelloWithBigNumbersInUnknownFieldsIsAccepted(Kind k) throws Exception {
    start(k);
    try (RawClient c = new RawClient(address, FROM)) {
      assertEquals("hello", c.readHello().type());
      c.sendRaw(frame("{\"type\":\"hello\",\"version\":1,\"peer\":\"clean-room\",\"role\":\"client\","
          + "\"x\":12345678901234567890,\"y\":0.5}"));
      expectServed(c, 1);
    }
  }
}
