package io.swarmshare.internal.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON header of a frame: an object whose values are strings, whole numbers, booleans,
 * nested objects or arrays of those. Built with {@link #of} and {@link #with}; read with typed
 * getters that throw {@link FrameException} ({@code bad_request}) for a missing or mistyped
 * field, so handlers never see a {@code ClassCastException}. Immutable once built.
 */
public final class Header {
  private final Map<String, Object> fields;

  Header(Map<String, Object> fields) {
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** A new header of the given type. */
  public static Header of(String type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    return new Header(m);
  }

  /** An empty object without a type, for nested values such as the entries of a list. */
  public static Header object() {
    return new Header(new LinkedHashMap<>());
  }

  /** A request of the given type with request id {@code id}. */
  public static Header request(String type, long id) {
    return requestBuilder(type, id).build();
  }

  /** {@link #builder()} started as {@link #request}: for a request or reply with more fields. */
  public static Builder requestBuilder(String type, long id) {
    return builder().with("type", type).with("id", id);
  }

  /**
   * Builds a header field by field in one map. {@link #with} copies the map at every call, which
   * is what an immutable value must do, but a tracker's {@code peer_list} of 64 entries made 320
   * copies that way, about a tenth of the tracker's CPU in a profile of 10 000 clients.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects fields for {@link #build}; used once, by one thread. */
  public static final class Builder {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private boolean built;

    private Builder() {}

    /** Sets {@code name}; values as for {@link Header#with}. */
    public Builder with(String name, Object value) {
      if (built) {
        throw new IllegalStateException("this builder already built its header");
      }
      fields.put(name, normalize(value));
      return this;
    }

    /** The header, holding the fields set so far; the builder takes no more. */
    public Header build() {
      built = true;
      return new Header(fields);
    }
  }

  /** A copy with {@code name} set; values are String, Number, Boolean, Header, or List of those. */
  public Header with(String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(fields);
    m.put(name, normalize(value));
    return new Header(m);
  }

  private static Object normalize(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Short s) {
      return s.longValue();
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object o : list) {
        copy.add(normalize(o));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof String || value instanceof Long || value instanceof Boolean || value instanceof Header) {
      return value;
    }
    throw new IllegalArgumentException("unsupported header value " + value.getClass());
  }

  /** The message type; every frame has one. */
  public String type() {
    Object t = fields.get("type");
    return t instanceof String s ? s : "";
  }

  /**
   * The request id, or -1 when there is no usable one: absent (unsolicited messages), not a
   * whole number, or outside 0 to {@link Limits#MAX_REQUEST_ID}. An id outside that range is
   * never echoed.
   */
  public long id() {
    return fields.get("id") instanceof Long l && l >= 0 && l <= Limits.MAX_REQUEST_ID ? l : -1;
  }

  /** True if the field is present. */
  public boolean has(String name) {
    return fields.containsKey(name);
  }

  /** A required string field, at most {@code maxLength} {@linkplain Limits#characters characters}. */
  public String string(String name, int maxLength) throws FrameException {
    Object v = fields.get(name);
    if (!(v instanceof String s)) {
      throw mistyped(name, "a string");
    }
    if (Limits.characters(s) > maxLength) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          type() + ": field '" + name + "' is longer than " + maxLength + " characters");
    }
    return s;
  }

  /** An optional string field, or null when absent. */
  public @Nullable String optString(String name, int maxLength) throws FrameException {
    return fields.containsKey(name) ? string(name, maxLength) : null;
  }

  /**
   * An optional array of short strings, empty when absent. Strings longer than
   * {@code maxLength} are an error; so are more than {@code maxItems} of them.
   */
  public List<String> optStrings(String name, int maxItems, int maxLength) throws FrameException {
    Object v = fields.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list) || list.size() > maxItems) {
      throw mistyped(name, "an array of at most " + maxItems + " strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String s) || Limits.characters(s) > maxLength) {
        throw mistyped(name, "an array of strings of at most " + maxLength + " characters");
      }
      out.add(s);
    }
    return out;
  }

  /** A required whole-number field within {@code [min, max]}. */
  public long number(String name, long min, long max) throws FrameException {
    Object v = fields.get(name);
    if (v == FrameReader.Unsupported.BIG_NUMBER) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          type() + ": field '" + name + "' must be from " + min + " to " + max + ", got a number outside 64 bits");
    }
    if (!(v instanceof Long l)) {
      throw mistyped(name, "a whole number");
    }
    if (l < min || l > max) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          type() + ": field '" + name + "' must be from " + min + " to " + max + ", got " + l);
    }
    return l;
  }

  /** A required int field within {@code [min, max]}. */
  public int integer(String name, int min, int max) throws FrameException {
    return (int) number(name, min, max);
  }

  /** An optional boolean, {@code fallback} when absent. */
  public boolean bool(String name, boolean fallback) throws FrameException {
    Object v = fields.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw mistyped(name, "true or false");
    }
    return b;
  }

  /** A required array of objects. */
  public List<Header> objects(String name) throws FrameException {
    Object v = fields.get(name);
    if (!(v instanceof List<?> list)) {
      throw mistyped(name, "an array");
    }
    List<Header> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Header h)) {
        throw mistyped(name, "an array of objects");
      }
      out.add(h);
    }
    return out;
  }

  /** A required array of whole numbers. */
  public long[] numbers(String name) throws FrameException {
    Object v = fields.get(name);
    if (!(v instanceof List<?> list)) {
      throw mistyped(name, "an array");
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long l)) {
        throw mistyped(name, "an array of whole numbers");
      }
      out[i] = l;
    }
    return out;
  }

  /** The raw fields, for the codec. */
  Map<String, Object> fields() {
    return fields;
  }

  private FrameException mistyped(String name, String expected) {
    return new FrameException(ErrorCode.BAD_REQUEST,
        (type().isEmpty() ? "header" : type()) + ": field '" + name + "' must be " + expected
            + (fields.containsKey(name) ? "" : " and is missing"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h && h.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return FrameWriter.json(this);
  }
}
