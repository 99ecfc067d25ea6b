package io.swarmshare.testkit.fuzz;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A seeded fuzz harness for property tests: {@link #check} runs a property over many cases, each
 * drawn from its own {@link Random} whose seed comes from a base seed and the case's number. A
 * failing case is reported with its seed, the values it drew and the one command that replays it.
 * There is no shrinking, so generators keep their values small and put the edges (0, 1, a limit,
 * the limit plus one) in on purpose ({@link Gen}).
 *
 * <p>System properties, which surefire passes from the command line to the test JVM:
 * <ul>
 *   <li>{@code swarmshare.fuzz.cases}: cases per property ({@value #DEFAULT_CASES} by default);
 *   <li>{@code swarmshare.fuzz.seed}: run the one case with this seed, as a failure prints it;
 *   <li>{@code swarmshare.fuzz.base}: the base seed; fixed by default, so {@code bin/test} runs the
 *       same cases every time (a build never fails by luck); {@code random} draws a new one per
 *       run, to explore by hand.
 * </ul>
 * See docs/TESTING.md.
 */
public final class Fuzz {
  /** Cases per property in {@code bin/test}: about 10 s for all the properties of the project. */
  public static final int DEFAULT_CASES = 200;

  private static final String CASES = "swarmshare.fuzz.cases";
  private static final String SEED = "swarmshare.fuzz.seed";
  private static final String BASE = "swarmshare.fuzz.base";
  private static final long DEFAULT_BASE_SEED = 20261202L;
  private static final long BASE_SEED = "random".equals(System.getProperty(BASE))
      ? ThreadLocalRandom.current().nextLong() : parse(BASE, DEFAULT_BASE_SEED);
  private static final int MAX_SHOWN = 300;

  private Fuzz() {}

  /** A property over what one case draws; it fails by throwing, as a JUnit test does. */
  @FunctionalInterface
  public interface Property {
    void check(Case c) throws Exception;
  }

  /** One case: its random source, and what it drew, for the failure message. */
  public static final class Case {
    private final Random random;
    private final List<String> drawn = new ArrayList<>();

    private Case(long seed) {
      this.random = new Random(seed);
    }

    /** Draws a value from {@code generator} and remembers it under {@code name} for the failure message. */
    public <T> T draw(String name, Function<Random, T> generator) {
      T value = generator.apply(random);
      drawn.add(name + " = " + show(value));
      return value;
    }

    /** The case's random source, for draws not worth naming in a failure message. */
    public Random random() {
      return random;
    }
  }

  /** Cases per property in this run: {@code -Dswarmshare.fuzz.cases}, or {@value #DEFAULT_CASES}. */
  public static int cases() {
    return Math.toIntExact(parse(CASES, DEFAULT_CASES));
  }

  /** Runs {@code property} over {@link #cases()} cases. */
  public static void check(Property property) {
    check(cases(), property);
  }

  /**
   * Runs {@code property} over {@code cases} cases (at least one), or over the single case that
   * {@code -Dswarmshare.fuzz.seed} names. Call it from the test method itself: the failure message
   * names the caller as the test to replay.
   */
  public static void check(int cases, Property property) {
    StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(s -> s.filter(f -> f.getDeclaringClass() != Fuzz.class).findFirst()).orElseThrow();
    String replay = System.getProperty(SEED);
    if (replay != null && !replay.isBlank()) {
      run(caller, property, parse(SEED, 0), 0, 1, true);
      return;
    }
    long stream = BASE_SEED ^ mix((caller.getClassName() + "#" + caller.getMethodName()).hashCode());
    int n = Math.max(1, cases);
    for (int i = 0; i < n; i++) {
      run(caller, property, mix(stream + i * 0x9E3779B97F4A7C15L), i, n, false);
    }
  }

  private static void run(StackWalker.StackFrame caller, Property property, long seed, int index, int of, boolean replayed) {
    Case c = new Case(seed);
    try {
      property.check(c);
    } catch (Throwable t) { // StackOverflowError and OutOfMemoryError too: a decoder must not throw them
      StringBuilder m = new StringBuilder();
      String test = caller.getDeclaringClass().getSimpleName() + "#" + caller.getMethodName();
      m.append(test).append(replayed ? " failed on the replayed case, seed " + seed
          : " failed on case " + (index + 1) + " of " + of + ", seed " + seed + " (this run's base seed: " + BASE_SEED + ")")
          .append('\n');
      for (String d : c.drawn) {
        m.append("  ").append(d).append('\n');
      }
      m.append("  ").append(t).append('\n');
      m.append("Replay this case:\n  mvn -o -B -pl ").append(module(caller.getDeclaringClass()))
          .append(" -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='").append(test)
          .append("' -D").append(SEED).append('=').append(seed);
      throw new AssertionError(m.toString(), t);
    }
  }

  /** The system property {@code name} as a number, or {@code otherwise} when it is not set. */
  private static long parse(String name, long otherwise) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + "=" + v + " is not a number", e);
    }
  }

  /** The Maven module whose test classes hold {@code test}, read from where they were loaded. */
  private static String module(Class<?> test) {
    try {
      Path classes = Path.of(test.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (classes.getFileName().toString().equals("test-classes") && classes.getParent() != null
          && classes.getParent().getParent() != null) {
        return String.valueOf(classes.getParent().getParent().getFileName());
      }
    } catch (Exception | LinkageError e) {
      // fall through: the command still names the test and the seed
    }
    return "MODULE";
  }

  /** SplitMix64's finaliser: neighbouring inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A short, readable form of a drawn value: arrays in hex or in full, records by component, long text cut. */
  static String show(Object value) {
    String s = switch (value) {
      case null -> "null";
      case byte[] b -> b.length + " bytes" + (b.length == 0 ? "" : " " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 96))
          + (b.length > 96 ? "…" : ""));
      case int[] a -> java.util.Arrays.toString(a);
      case long[] a -> java.util.Arrays.toString(a);
      case String str -> quote(str);
      case Collection<?> col -> col.stream().map(Fuzz::show).toList().toString();
      case Map<?, ?> map -> map.entrySet().stream().map(e -> show(e.getKey()) + "=" + show(e.getValue())).toList().toString();
      case Record r -> showRecord(r);
      default -> String.valueOf(value);
    };
    return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "… (" + s.length() + " chars)" : s;
  }

  private static String showRecord(Record r) {
    try {
      r.getClass().getDeclaredMethod("toString");
      return r.toString(); // the record says how it reads
    } catch (NoSuchMethodException e) {
      // show it by component
    }
    List<String> parts = new ArrayList<>();
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      Object v;
      try {
        var accessor = rc.getAccessor();
        accessor.setAccessible(true);
        v = accessor.invoke(r);
      } catch (ReflectiveOperationException | RuntimeException e) {
        v = "?";
      }
      parts.add(rc.getName() + "=" + show(v));
    }
    return r.getClass().getSimpleName() + "[" + String.join(", ", parts) + "]";
  }

  /** {@code s} in quotes, with control, non-ASCII and lone surrogate characters as Java escapes. */
  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch >= 0x20 && ch < 0x7f) {
        b.append(ch);
      } else {
        b.append(String.format("\\u%04x", (int) ch));
      }
    }
    return b.append('"').toString();
  }
}
