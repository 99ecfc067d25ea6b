package io.swarmshare.testkit.fuzz;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * One change a fuzzer makes to a valid encoding: flip a bit, set a byte, cut the end off, add
 * bytes at the end, insert or delete a byte. Half of them land in the first 128 bytes, where
 * the preambles and length fields are.
 */
public record Mutation(Kind kind, int at, int bit, byte[] bytes) {
  public enum Kind { FLIP_BIT, SET_BYTE, TRUNCATE, EXTEND, INSERT, DELETE }

  /** Any mutation. */
  public static Mutation any(Random r) {
    int at = r.nextBoolean() ? Gen.intIn(r, 0, 127) : Gen.intIn(r, 0, Integer.MAX_VALUE);
    return new Mutation(Gen.oneOf(r, Kind.values()), at, r.nextInt(8), Gen.exactBytes(r, 1 + Gen.size(r, 39)));
  }

  /** One to four mutations, applied in order. */
  public static List<Mutation> some(Random r) {
    return Gen.list(r, 1, 4, Mutation::any);
  }

  /** {@code in} after every mutation of {@code mutations}; {@code in} is not changed. */
  public static byte[] apply(List<Mutation> mutations, byte[] in) {
    byte[] out = in;
    for (Mutation m : mutations) {
      out = m.applyTo(out);
    }
    return out;
  }

  /** {@code in} with this mutation; {@code in} is not changed. */
  public byte[] applyTo(byte[] in) {
    int n = in.length;
    if (n == 0 && kind != Kind.EXTEND && kind != Kind.INSERT) {
      return in;
    }
    byte[] out = in.clone();
    return switch (kind) {
      case FLIP_BIT -> {
        out[at % n] ^= (byte) (1 << bit);
        yield out;
      }
      case SET_BYTE -> {
        out[at % n] = bytes[0];
        yield out;
      }
      case TRUNCATE -> Arrays.copyOf(in, at % n);
      case EXTEND -> {
        byte[] longer = Arrays.copyOf(in, n + bytes.length);
        System.arraycopy(bytes, 0, longer, n, bytes.length);
        yield longer;
      }
      case INSERT -> {
        int p = at % (n + 1);
        byte[] longer = new byte[n + 1];
        System.arraycopy(in, 0, longer, 0, p);
        longer[p] = bytes[0];
        System.arraycopy(in, p, longer, p + 1, n - p);
        yield longer;
      }
      case DELETE -> {
        int p = at % n;
        byte[] shorter = new byte[n - 1];
        System.arraycopy(in, 0, shorter, 0, p);
        System.arraycopy(in, p + 1, shorter, p, n - p - 1);
        yield shorter;
      }
    };
  }

  @Override
  public String toString() {
    return kind + "@" + at + (kind == Kind.FLIP_BIT ? "/bit" + bit : "") + (kind == Kind.EXTEND || kind == Kind.SET_BYTE
        || kind == Kind.INSERT ? ":" + HexFormat.of().formatHex(bytes) : "");
  }
}
