package io.swarmshare.internal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes frames to a stream. The header is generated with jackson-core into a reused buffer;
 * the body is written as given, never copied. Not thread-safe: callers that share a connection
 * between threads hold a lock around each frame.
 */
public final class FrameWriter {
  private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(Json.BUFFERS).build();
  private static final int BUFFER = 64 * 1024;
  private static final byte[] NO_BODY = new byte[0];

  private final OutputStream out;
  private final ByteArrayOutputStream headerBytes = new ByteArrayOutputStream(256);
  private final byte[] prefix = new byte[8];

  public FrameWriter(OutputStream out) {
    this(out, BUFFER);
  }

  /**
   * A writer buffering {@code bufferSize} bytes: servers with thousands of mostly idle
   * connections use a small buffer, bulk senders a large one.
   */
  public FrameWriter(OutputStream out, int bufferSize) {
    this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, bufferSize);
  }

  /** Writes a frame with no body. Does not flush. */
  public void write(Header header) throws IOException {
    write(header, NO_BODY, 0, 0);
  }

  /** Writes a frame whose body is {@code body[offset, offset+length)}. Does not flush. */
  public void write(Header header, byte[] body, int offset, int length) throws IOException {
    writeHead(header, length);
    out.write(body, offset, length);
  }

  /**
   * Writes the prefix and header of a frame whose {@code bodyLength} bytes the caller writes
   * next, for example with {@code FileChannel.transferTo} after {@link #flush()}.
   */
  public void writeHead(Header header, long bodyLength) throws IOException {
    headerBytes.reset();
    try (JsonGenerator g = JSON.createGenerator(headerBytes)) {
      writeObject(g, header.fields());
    }
    int h = headerBytes.size();
    putInt(prefix, 0, h);
    putInt(prefix, 4, (int) bodyLength);
    out.write(prefix);
    headerBytes.writeTo(out);
  }

  /** The stream under the writer, for bodies the caller writes itself. */
  public OutputStream stream() {
    return out;
  }

  /** Sends everything written so far. */
  public void flush() throws IOException {
    out.flush();
  }

  /** A header as compact JSON text, for logs, tests and the protocol document. */
  public static String json(Header header) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(b)) {
      writeObject(g, header.fields());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static void writeObject(JsonGenerator g, Map<String, Object> fields) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      g.writeFieldName(e.getKey());
      writeValue(g, e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Header h) {
      writeObject(g, h.fields());
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeNull();
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
