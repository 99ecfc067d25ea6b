package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.internal.tracker.TrackerLimits;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The header rules of docs/PROTOCOL.md sections 2, 3 and 5 at the codec level: what counts as
 * text, how characters, numbers and depth are counted, which ids are usable, and which errors
 * close. {@code ServerConformanceTest} checks the same rules against the real servers.
 */
class HeaderRulesTest {
  static final String EMOJI = "\uD83D\uDE00";

  static Header parse(String json) throws FrameException {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static Header parse(byte[] bytes) throws FrameException {
    return new FrameReader(InputStream.nullInputStream(), Limits.DEFAULTS).parse(bytes, bytes.length);
  }

  static ErrorCode refusal(String json) {
    return refusal(json.getBytes(StandardCharsets.UTF_8));
  }

  static ErrorCode refusal(byte[] bytes) {
    return assertThrows(FrameException.class, () -> parse(bytes), new String(bytes, StandardCharsets.UTF_8)).error();
  }

  @Test
  void numbersOutside64BitsAreIgnoredInUnknownFieldsAndOutOfRangeInKnownOnes() throws Exception {
    Header h = parse("{\"type\":\"peers\",\"id\":3,\"x\":99999999999999999999,\"limit\":9223372036854775808}");
    assertEquals(3, h.id(), "the id stays readable whatever the other fields hold");
    FrameException e = assertThrows(FrameException.class, () -> h.integer("limit", 0, Integer.MAX_VALUE));
    assertEquals(ErrorCode.BAD_REQUEST, e.error());
    assertEquals("peers: field 'limit' must be from 0 to 2147483647, got a number outside 64 bits", e.getMessage());
    assertEquals(Long.MIN_VALUE, parse("{\"type\":\"x\",\"n\":-9223372036854775808}").number("n", Long.MIN_VALUE, 0));
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"f\":1.234567890123456e-5,\"g\":-0.5E+300,\"n\":null}"));
  }

  @Test
  void aNumberIsAtMost20CharactersAsWrittenSignPointAndExponentIncluded() throws Exception {
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"n\":-9999999999999999999}")); // 20
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"n\":-99999999999999999999}")); // 21
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"n\":1.23456789012345e-10}")); // 20
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"n\":-1.23456789012345e-10}")); // 21
  }

  @Test
  void idsAreWholeNumbersFrom0To2To53Minus1AndNothingElseIsEchoed() throws Exception {
    assertEquals(Limits.MAX_REQUEST_ID, parse("{\"type\":\"ping\",\"id\":9007199254740991}").id());
    assertEquals(0, parse("{\"type\":\"ping\",\"id\":0}").id());
    for (String id : new String[] {"9007199254740992", "-1", "\"7\"", "1.0", "true", "null", "{}", "99999999999999999999"}) {
      Header h = parse("{\"type\":\"ping\",\"id\":" + id + "}");
      assertEquals(-1, h.id(), id);
      assertEquals(ErrorCode.BAD_REQUEST, assertThrows(FrameException.class, () -> Inbound.requestId(h)).error(), id);
      assertFalse(Errors.frame(h.id(), ErrorCode.BAD_REQUEST, "x").has("id"), "never echoed: " + id);
    }
    assertEquals(ErrorCode.BAD_REQUEST, assertThrows(FrameException.class,
        () -> Inbound.requestId(parse("{\"type\":\"ping\"}"))).error());
    assertEquals(ErrorCode.OUT_OF_ORDER, assertThrows(FrameException.class,
        () -> Inbound.requestId(parse("{\"type\":\"hello\",\"id\":1}"))).error());
    assertEquals(5, Inbound.requestId(parse("{\"type\":\"ping\",\"id\":5}")));
  }

  @Test
  void charactersAreCodePointsInStringsNamesAndTypedFields() throws Exception {
    assertEquals(1, Limits.characters(EMOJI));
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"s\":\"" + EMOJI.repeat(4096) + "\"}"));
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"s\":\"" + EMOJI.repeat(4097) + "\"}"));
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"s\":\"" + "\\ud83d\\ude00".repeat(4096) + "\"}"));
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"" + EMOJI.repeat(256) + "\":1}"));
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"" + EMOJI.repeat(257) + "\":1}"));
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"" + "é".repeat(257) + "\":1}"));
    Header h = parse("{\"type\":\"x\",\"name\":\"" + EMOJI.repeat(255) + "\"}");
    assertEquals(EMOJI.repeat(255), h.string("name", 255));
    assertEquals(ErrorCode.BAD_REQUEST, assertThrows(FrameException.class, () -> h.string("name", 254)).error());
    assertDoesNotThrow(() -> TrackerLimits.checkName(EMOJI.repeat(255)));
    assertThrows(IllegalArgumentException.class, () -> TrackerLimits.checkName(EMOJI.repeat(256)));
    assertDoesNotThrow(() -> TrackerLimits.checkSearchText(EMOJI.repeat(255)));
    assertThrows(IllegalArgumentException.class, () -> TrackerLimits.checkSearchText(EMOJI.repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> TrackerLimits.checkName("a\uD800b"));
  }

  @Test
  void anErrorMessageIsCutAt1000CharactersWithoutSplittingAPair() {
    String message = Errors.frame(1, ErrorCode.INTERNAL, EMOJI.repeat(1500)).fields().get("message").toString();
    assertEquals(1000, Limits.characters(message));
    assertTrue(message.endsWith(EMOJI + "..."), "no half of a pair left behind");
  }

  @Test
  void anUnpairedSurrogateEscapeIsBadRequestInValuesAndNames() throws Exception {
    assertEquals(EMOJI, parse("{\"type\":\"x\",\"s\":\"\\ud83d\\ude00\"}").string("s", 1));
    assertEquals(EMOJI, parse("{\"type\":\"x\",\"s\":\"\\uD83D\\uDE00\"}").string("s", 1));
    for (String s : new String[] {"\\ud800", "a\\ud800", "\\ud800a", "\\udc00", "\\udc00\\ud800", "\\ud800\\n",
        "\\ud800\\u0041", "\\\\\\ud800"}) {
      assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"x\",\"s\":\"" + s + "\"}"), s);
      assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"x\",\"" + s + "\":1}"), "name " + s);
    }
    // An escaped backslash followed by text that looks like an escape is plain text.
    assertEquals("\\ud800", parse("{\"type\":\"x\",\"s\":\"\\\\ud800\"}").string("s", 10));
  }

  @Test
  void headerBytesMustBeWellFormedUtf8WithoutBomOrNul() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal(bytes("{\"type\":\"x\",\"s\":\"", 0xC0, 0xAF, "\"}")));
    assertEquals(ErrorCode.BAD_REQUEST, refusal(bytes("{\"type\":\"x\",\"s\":\"", 0xED, 0xA0, 0x80, "\"}")));
    assertEquals(ErrorCode.BAD_REQUEST, refusal(bytes("{\"type\":\"x\",\"s\":\"", 0xF4, 0x90, 0x80, 0x80, "\"}")));
    assertEquals(ErrorCode.BAD_REQUEST, refusal(bytes("{\"type\":\"x\",\"", 0xE2, 0x82, "\":1}")));
    assertEquals(ErrorCode.BAD_FRAME, refusal(bytes(0xEF, 0xBB, 0xBF, "{\"type\":\"x\"}")));
    assertEquals(ErrorCode.BAD_FRAME, refusal(bytes("{\"type\":\"x\"}", 0)));
    assertEquals(ErrorCode.BAD_FRAME, refusal("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)));
    assertEquals(ErrorCode.BAD_FRAME, refusal("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_16BE)));
  }

  @Test
  void theUtf8CheckAgreesWithTheJdksStrictDecoder() {
    Random r = new Random(15);
    int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5,
        0xFF, 0x9F, 0xA0, 0x8F, 0x90};
    for (int i = 0; i < 200_000; i++) {
      byte[] b = new byte[r.nextInt(8)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : interesting[r.nextInt(interesting.length)]);
      }
      boolean jdk = strictlyDecodes(b) && !contains(b, (byte) 0);
      assertEquals(jdk, HeaderText.firstInvalid(b, b.length) < 0, () -> java.util.HexFormat.of().formatHex(b));
    }
  }

  @Test
  void nestingDepthCountsTheHeaderObjectAsLevelOne() {
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"a\":[[[[[[[1]]]]]]]}")); // 1 + 7
    assertDoesNotThrow(() -> parse("{\"type\":\"x\",\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{}}}}}}}}"));
    assertEquals(ErrorCode.TOO_LARGE, refusal("{\"type\":\"x\",\"a\":[[[[[[[[1]]]]]]]]}")); // 1 + 8
  }

  @Test
  void whichErrorsClose() throws Exception {
    assertTrue(Errors.closes(-1, ErrorCode.BAD_REQUEST), "an error without an id closes");
    assertFalse(Errors.closes(1, ErrorCode.BAD_REQUEST));
    assertTrue(Errors.closes(1, ErrorCode.TOO_LARGE));
    assertTrue(Errors.closes(parse("{\"type\":\"error\",\"code\":\"busy\",\"message\":\"m\"}")));
    assertTrue(Errors.closes(parse("{\"type\":\"error\",\"id\":9007199254740992,\"code\":\"busy\",\"message\":\"m\"}")));
    assertTrue(Errors.closes(parse("{\"type\":\"error\",\"id\":1,\"code\":\"idle_timeout\",\"message\":\"m\"}")));
    assertFalse(Errors.closes(parse("{\"type\":\"error\",\"id\":1,\"code\":\"not_found\",\"message\":\"m\"}")));
    assertFalse(Errors.closes(parse("{\"type\":\"error\",\"id\":1,\"code\":\"from_the_future\",\"message\":\"m\"}")));
  }

  @Test
  void aRequestCarriesExactlyTheBodyItsHeaderImplies() throws Exception {
    Header ping = parse("{\"type\":\"ping\",\"id\":1}");
    assertDoesNotThrow(() -> Inbound.checkBody(ping, 0, 0));
    assertEquals(ErrorCode.BAD_REQUEST, assertThrows(FrameException.class, () -> Inbound.checkBody(ping, 0, 10)).error());
  }

  private static boolean strictlyDecodes(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean contains(byte[] b, byte x) {
    for (byte y : b) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }

  /** Strings as UTF-8 and integers as raw bytes, in order. */
  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) p);
      }
    }
    return out.toByteArray();
  }
}
