package io.swarmshare.internal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads frames from a stream: {@code u32 headerLength | u32 bodyLength | header | body}.
 *
 * <p>Lengths are checked against {@link Limits} as soon as the 8-byte prefix is read, before
 * any allocation; the header is parsed by jackson-core's streaming parser with explicit
 * {@link StreamReadConstraints}. The body is not read by {@link #next()}: the caller reads it
 * straight into its own buffer ({@link #readBody(byte[], int)}), so a chunk goes from the socket
 * to the hasher without an intermediate copy. Not thread-safe: one reader thread per connection.
 *
 * <p>A reader made with a buffer size buffers the stream itself, so that it can hand a body
 * partly to its buffer and partly to a channel ({@link #readBody(ByteBuffer, ReadableByteChannel)}).
 * After an {@link IOException} the reader's place in the stream is unknown: close the connection.
 */
public final class FrameReader {
  private static final int SKIP_BUFFER = 16 * 1024;
  private static final int RETAINED_HEADER_BUFFER = 8 * 1024;
  private final InputStream in;
  private final Limits limits;
  private final JsonFactory json;
  private final byte[] prefix = new byte[8];
  private byte[] headerBuffer = new byte[1024];
  private long bodyRemaining;
  private long bodyLength;
  private byte @Nullable [] skipBuffer;
  /** This reader's own read-ahead, or null when it reads the stream as given. */
  private final byte @Nullable [] ahead;
  private int aheadPos;
  private int aheadEnd;

  /** A reader of {@code in} as given (callers buffer the stream if they want buffering). */
  public FrameReader(InputStream in, Limits limits) {
    this(in, 0, limits);
  }

  /**
   * A reader that buffers {@code in} itself, {@code bufferBytes} at a time (0 for none), so a
   * frame's prefix and header cost one read while large bodies bypass the buffer.
   */
  public FrameReader(InputStream in, int bufferBytes, Limits limits) {
    this.in = in;
    this.limits = limits;
    this.json = FACTORIES.size() < 16 ? FACTORIES.computeIfAbsent(limits, FrameReader::factory) : factory(limits);
    this.ahead = bufferBytes > 0 ? new byte[bufferBytes] : null;
  }

  /**
   * One factory per set of limits, shared by every connection: a factory per connection cost
   * each of a tracker's ten thousand idle connections about 3 KiB of symbol tables. Bounded in
   * case some caller makes limits per connection.
   */
  private static final ConcurrentHashMap<Limits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

  static JsonFactory factory(Limits limits) {
    // jackson-core counts string lengths in UTF-16 units and name lengths in bytes; the
    // protocol counts characters (code points), which the reader checks itself. jackson's
    // bounds are set to the most those characters can take, so they only cap the work.
    JsonFactory f = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth())
            .maxStringLength(2 * limits.maxStringLength())
            .maxNameLength(4 * Limits.MAX_FIELD_NAME_LENGTH)
            .maxNumberLength(Limits.MAX_NUMBER_LENGTH)
            .maxDocumentLength(limits.maxHeaderBytes())
            .build())
        .recyclerPool(Json.BUFFERS)
        .build();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  /**
   * Reads the next frame's prefix and header; the body is left for the caller.
   *
   * @return the header, or null if the stream ended cleanly before the first byte of a frame
   * @throws FrameException for a breach of the limits or a malformed header
   * @throws EOFException if the stream ends inside a frame
   */
  public @Nullable Header next() throws IOException {
    if (bodyRemaining > 0) {
      skipBody();
    }
    int first = readByte();
    if (first < 0) {
      return null;
    }
    prefix[0] = (byte) first;
    readFully(prefix, 1, 7);
    long headerLength = ByteBuffer.wrap(prefix, 0, 4).getInt() & 0xFFFFFFFFL;
    long bodyLength = ByteBuffer.wrap(prefix, 4, 4).getInt() & 0xFFFFFFFFL;
    if (headerLength > limits.maxHeaderBytes()) {
      throw new FrameException(ErrorCode.TOO_LARGE,
          "header of " + headerLength + " bytes exceeds the limit of " + limits.maxHeaderBytes());
    }
    if (bodyLength > limits.maxBodyBytes()) {
      throw new FrameException(ErrorCode.TOO_LARGE,
          "body of " + bodyLength + " bytes exceeds the limit of " + limits.maxBodyBytes());
    }
    if (headerLength == 0) {
      throw new FrameException(ErrorCode.BAD_FRAME, "empty header; every frame needs a JSON object with a type");
    }
    int len = (int) headerLength;
    if (headerBuffer.length < len) {
      headerBuffer = new byte[Math.max(len, Math.min(limits.maxHeaderBytes(), headerBuffer.length * 2))];
    }
    readFully(headerBuffer, 0, len);
    // Account for the body before parsing: a header that parses but breaks a field rule is
    // answered with bad_request and the connection stays usable, so its body must stay skippable.
    bodyRemaining = bodyLength;
    this.bodyLength = bodyLength;
    try {
      return parse(headerBuffer, len);
    } finally {
      // A connection that once sent a large header should not keep 64 KiB while it idles.
      if (headerBuffer.length > RETAINED_HEADER_BUFFER) {
        headerBuffer = new byte[1024];
      }
    }
  }

  /** The body length of the frame last returned by {@link #next()}. */
  public long bodyLength() {
    return bodyLength;
  }

  /** Reads the whole body into {@code target} at {@code offset}; it must have room for it. */
  public void readBody(byte[] target, int offset) throws IOException {
    int n = (int) bodyRemaining;
    readFully(target, offset, n);
    bodyRemaining = 0;
  }

  /**
   * Reads the whole body into {@code target} from its position, which it advances; the buffer
   * must have room. With a {@code channel} (the source of this reader's stream, which this
   * reader must buffer itself), bytes already read ahead are taken first and the rest is read
   * from the channel straight into the buffer: a direct buffer is filled without a heap copy.
   * Reads from the channel do not honour the stream's read timeout; callers bound them.
   */
  public void readBody(ByteBuffer target, @Nullable ReadableByteChannel channel) throws IOException {
    int n = (int) bodyRemaining;
    if (target.remaining() < n) {
      throw new IllegalArgumentException("a body of " + n + " bytes does not fit in " + target.remaining());
    }
    if (channel != null && ahead == null) {
      throw new IllegalStateException("reading from a channel needs a reader that buffers its stream");
    }
    int end = target.position() + n;
    if (target.hasArray()) {
      readFully(target.array(), target.arrayOffset() + target.position(), n);
      target.position(end);
      bodyRemaining = 0;
      return;
    }
    int limit = target.limit();
    target.limit(end);
    try {
      if (ahead != null) {
        int k = Math.min(aheadEnd - aheadPos, n);
        target.put(ahead, aheadPos, k);
        aheadPos += k;
      }
      while (target.hasRemaining()) {
        if (channel != null) {
          if (channel.read(target) < 0) {
            throw new EOFException("connection closed inside a frame");
          }
        } else {
          byte[] scratch = scratch();
          int r = read(scratch, 0, Math.min(scratch.length, target.remaining()));
          if (r < 0) {
            throw new EOFException("connection closed inside a frame");
          }
          target.put(scratch, 0, r);
        }
      }
    } finally {
      target.limit(limit);
    }
    bodyRemaining = 0;
  }

  /**
   * Reads the whole body into a new array, refusing bodies over {@code max} bytes before
   * allocating.
   */
  public byte[] readBody(int max) throws IOException {
    if (bodyRemaining > max) {
      throw new FrameException(ErrorCode.TOO_LARGE, "body of " + bodyRemaining + " bytes exceeds " + max + " for this message");
    }
    byte[] body = new byte[(int) bodyRemaining];
    readBody(body, 0);
    return body;
  }

  /** Discards the rest of the current body. */
  public void skipBody() throws IOException {
    if (bodyRemaining == 0) {
      return;
    }
    byte[] scratch = scratch();
    while (bodyRemaining > 0) {
      int n = read(scratch, 0, (int) Math.min(scratch.length, bodyRemaining));
      if (n < 0) {
        throw new EOFException("connection closed inside a frame body");
      }
      bodyRemaining -= n;
    }
  }

  private byte[] scratch() {
    byte[] b = skipBuffer;
    if (b == null) {
      b = new byte[SKIP_BUFFER];
      skipBuffer = b;
    }
    return b;
  }

  private int readByte() throws IOException {
    byte[] a = ahead;
    if (a == null) {
      return in.read();
    }
    if (aheadPos == aheadEnd && !fill(a)) {
      return -1;
    }
    return a[aheadPos++] & 0xFF;
  }

  /** Like {@link InputStream#read(byte[], int, int)}, through the read-ahead if there is one. */
  private int read(byte[] b, int off, int len) throws IOException {
    byte[] a = ahead;
    if (a == null || len == 0) {
      return in.read(b, off, len);
    }
    if (aheadPos == aheadEnd) {
      if (len >= a.length) {
        return in.read(b, off, len); // large reads go straight to the caller's array
      }
      if (!fill(a)) {
        return -1;
      }
    }
    int k = Math.min(aheadEnd - aheadPos, len);
    System.arraycopy(a, aheadPos, b, off, k);
    aheadPos += k;
    return k;
  }

  private boolean fill(byte[] a) throws IOException {
    int n = in.read(a, 0, a.length);
    if (n <= 0) {
      return false;
    }
    aheadPos = 0;
    aheadEnd = n;
    return true;
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = read(b, off, len);
      if (n < 0) {
        throw new EOFException("connection closed inside a frame");
      }
      off += n;
      len -= n;
    }
  }

  /**
   * Parses header bytes; visible for fuzz tests. The order of the checks is the one
   * docs/PROTOCOL.md gives: bytes that are no JSON text at all, then malformed UTF-8 and
   * unpaired surrogates, then the JSON, its limits and the {@code type}.
   */
  Header parse(byte[] bytes, int length) throws FrameException {
    checkText(bytes, length);
    try (JsonParser p = json.createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new FrameException(ErrorCode.BAD_FRAME, "header is not a JSON object");
      }
      Map<String, Object> fields = readObject(p);
      if (p.nextToken() != null) {
        throw new FrameException(ErrorCode.BAD_FRAME, "trailing data after the header object");
      }
      if (!(fields.get("type") instanceof String type) || type.isEmpty()) {
        throw new FrameException(ErrorCode.BAD_FRAME, "header has no string field 'type'");
      }
      return new Header(fields);
    } catch (StreamConstraintsException e) {
      throw new FrameException(ErrorCode.TOO_LARGE, "header breaks a limit: " + e.getOriginalMessage());
    } catch (FrameException e) {
      throw e;
    } catch (IOException e) {
      throw new FrameException(ErrorCode.BAD_FRAME, "header is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /**
   * Refuses header bytes that are not UTF-8 JSON text: a byte order mark or a NUL byte (which
   * no JSON text holds, and which would make jackson guess UTF-16 or UTF-32) is
   * {@code bad_frame}; bytes that are not well-formed UTF-8, or a string escape of an unpaired
   * surrogate, are {@code bad_request}.
   */
  private static void checkText(byte[] bytes, int length) throws FrameException {
    if (length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      throw new FrameException(ErrorCode.BAD_FRAME, "header starts with a byte order mark; send plain UTF-8");
    }
    int bad = HeaderText.firstInvalid(bytes, length);
    if (bad >= 0) {
      throw bytes[bad] == 0
          ? new FrameException(ErrorCode.BAD_FRAME, "header holds a NUL byte at offset " + bad + "; it is not JSON")
          : new FrameException(ErrorCode.BAD_REQUEST, "header is not well-formed UTF-8 at offset " + bad);
    }
    bad = HeaderText.firstUnpairedSurrogate(bytes, length);
    if (bad >= 0) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          "header escapes an unpaired surrogate at offset " + bad + "; strings must be Unicode text");
    }
  }

  private Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = text(p.currentName(), Limits.MAX_FIELD_NAME_LENGTH, "field name");
      p.nextToken();
      fields.put(name, readValue(p));
      if (fields.size() > limits.maxArrayItems()) {
        throw new FrameException(ErrorCode.TOO_LARGE, "header object has more than " + limits.maxArrayItems() + " fields");
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new FrameException(ErrorCode.BAD_FRAME, "malformed JSON object");
    }
    return fields;
  }

  private Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new FrameException(ErrorCode.BAD_FRAME, "truncated JSON");
    }
    return switch (t) {
      case VALUE_STRING -> text(p.getText(), limits.maxStringLength(), "string");
      case VALUE_NUMBER_INT -> {
        checkNumberLength(p);
        // Outside 64 bits is no protocol value, but it is valid JSON: an unknown field holding it
        // is ignored, and a known field holding it is out of range (bad_request, with the id).
        yield p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Unsupported.BIG_NUMBER : p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        checkNumberLength(p);
        yield Unsupported.VALUE; // never converted: a fraction is simply mistyped where a field is known
      }
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case START_OBJECT -> new Header(readObject(p));
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() == null) {
            throw new FrameException(ErrorCode.BAD_FRAME, "truncated JSON array");
          }
          items.add(readValue(p));
          if (items.size() > limits.maxArrayItems()) {
            throw new FrameException(ErrorCode.TOO_LARGE, "header array has more than " + limits.maxArrayItems() + " items");
          }
        }
        yield List.copyOf(items);
      }
      // null has no use in the protocol; a field holding one is simply mistyped.
      case VALUE_NULL -> Unsupported.VALUE;
      default -> throw new FrameException(ErrorCode.BAD_FRAME, "unexpected JSON token " + t);
    };
  }

  /** Numbers are at most {@link Limits#MAX_NUMBER_LENGTH} characters as written, sign and all. */
  private static void checkNumberLength(JsonParser p) throws IOException {
    if (p.getTextLength() > Limits.MAX_NUMBER_LENGTH) {
      throw new FrameException(ErrorCode.TOO_LARGE,
          "a number of " + p.getTextLength() + " characters; the limit is " + Limits.MAX_NUMBER_LENGTH);
    }
  }

  /**
   * Checks a decoded string or field name: no unpaired surrogate (an escape such as
   * <code>&#92;ud800</code> alone is no Unicode text: {@code bad_request}), and at most {@code max}
   * characters (code points; {@code too_large} beyond).
   */
  private static String text(String s, int max, String what) throws FrameException {
    int characters = 0;
    for (int i = 0; i < s.length(); i++, characters++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new FrameException(ErrorCode.BAD_REQUEST,
            "a " + what + " in the header holds an unpaired surrogate (\\u" + Integer.toHexString(c) + ")");
      }
    }
    if (characters > max) {
      throw new FrameException(ErrorCode.TOO_LARGE,
          "a " + what + " of " + characters + " characters in the header; the limit is " + max);
    }
    return s;
  }

  /**
   * Stands for a JSON value the protocol never uses, so typed getters report it: {@code VALUE}
   * (null, a fraction or an exponent) as mistyped, {@code BIG_NUMBER} (a whole number outside
   * 64 bits) as out of range.
   */
  enum Unsupported { VALUE, BIG_NUMBER }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
