package io.swarmshare.testkit.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Generators for {@link Fuzz}: plain methods over a {@link Random}. Numbers land on their bounds
 * and next to them (and on 0 when it is in range) one time in four, since without shrinking a
 * fuzzer finds an off-by-one only where it is pointed; sizes are mostly small, so that a failing
 * case is short enough to read.
 */
public final class Gen {
  private Gen() {}

  /** An int in {@code [min, max]}: one time in four an edge (min, min + 1, max - 1, max, 0), else uniform. */
  public static int intIn(Random r, int min, int max) {
    return (int) longIn(r, min, max);
  }

  /** A long in {@code [min, max]}: one time in four an edge (min, min + 1, max - 1, max, 0), else uniform. */
  public static long longIn(Random r, long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException(min + " > " + max);
    }
    if (r.nextInt(4) == 0) {
      long edge = switch (r.nextInt(5)) {
        case 0 -> min;
        case 1 -> min + 1;
        case 2 -> max - 1;
        case 3 -> max;
        default -> 0;
      };
      if (edge >= min && edge <= max) {
        return edge;
      }
    }
    return max - min == Long.MAX_VALUE || max - min < 0 ? uniform(r, min, max) : min + r.nextLong(max - min + 1);
  }

  private static long uniform(Random r, long min, long max) {
    while (true) { // the range is more than half of all longs: draw until it lands inside
      long v = r.nextLong();
      if (v >= min && v <= max) {
        return v;
      }
    }
  }

  /** Any long: one time in four 0, 1, -1, or the extremes. */
  public static long anyLong(Random r) {
    return longIn(r, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A size in {@code [0, max]}: half the time at most 16, one time in four an edge. */
  public static int size(Random r, int max) {
    return r.nextBoolean() ? intIn(r, 0, Math.min(max, 16)) : intIn(r, 0, max);
  }

  /** Up to {@code maxLength} random bytes: sometimes all zero or all 0xFF, usually any. */
  public static byte[] bytes(Random r, int maxLength) {
    byte[] b = new byte[size(r, maxLength)];
    switch (r.nextInt(8)) {
      case 0 -> { } // zeros
      case 1 -> java.util.Arrays.fill(b, (byte) 0xFF);
      default -> r.nextBytes(b);
    }
    return b;
  }

  /** Exactly {@code length} random bytes. */
  public static byte[] exactBytes(Random r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  /** One of {@code values}, each as likely. */
  @SafeVarargs
  public static <T> T oneOf(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }

  /** {@code min} to {@code max} values of {@code element}. */
  public static <T> List<T> list(Random r, int min, int max, Function<Random, T> element) {
    int n = min + size(r, max - min);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.apply(r));
    }
    return out;
  }

  /** Up to {@code maxLength} characters, each one of {@code alphabet}'s. */
  public static String string(Random r, int maxLength, String alphabet) {
    char[] cs = new char[size(r, maxLength)];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = alphabet.charAt(r.nextInt(alphabet.length()));
    }
    return new String(cs);
  }

  /**
   * Up to {@code maxLength} of any {@code char}s: printable ASCII mostly, then control
   * characters, other BMP characters, and halves of surrogate pairs, alone or paired.
   */
  public static String text(Random r, int maxLength) {
    char[] cs = new char[size(r, maxLength)];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = switch (r.nextInt(8)) {
        case 0 -> (char) r.nextInt(0x20);
        case 1 -> (char) (0xD800 + r.nextInt(0x800));
        case 2, 3 -> (char) r.nextInt(0x10000);
        default -> (char) (0x20 + r.nextInt(0x5F));
      };
    }
    return new String(cs);
  }

  /**
   * Like {@link #text}, but always well-formed Unicode: a surrogate comes only as half of a
   * pair, as in any string a peer may legally send (docs/PROTOCOL.md refuses lone surrogates).
   */
  public static String validText(Random r, int maxLength) {
    StringBuilder b = new StringBuilder();
    int length = size(r, maxLength);
    while (b.length() < length) {
      int kind = r.nextInt(8);
      if (kind == 1 && b.length() + 2 <= length) {
        b.appendCodePoint(0x10000 + r.nextInt(0x100000));
      } else if (kind == 0) {
        b.append((char) r.nextInt(0x20));
      } else if (kind == 2 || kind == 3) {
        char c = (char) r.nextInt(0x10000);
        b.append(Character.isSurrogate(c) ? 'x' : c);
      } else {
        b.append((char) (0x20 + r.nextInt(0x5F)));
      }
    }
    return b.toString();
  }
}
