package io.swarmshare.benchmarks.sim;

import io.swarmshare.api.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What one simulated swarm looks like: how many leechers, the file, every node's links, and the
 * run's bounds. Parsed from the command line of {@code bin/swarm-sim}.
 *
 * @param leechers leechers downloading at once from one seeder
 * @param size bytes of the generated file
 * @param chunkSize the file's chunk size
 * @param upRate every node's upload limit, bytes per second
 * @param downRate every node's download limit, bytes per second
 * @param linkRate the {@code --link} rate, the one both limits take unless given apart
 * @param stagger leechers start at random offsets from 0 to this after the first
 * @param seed seeds the file's bytes and the start offsets
 * @param dir where the files go; null for a temporary directory removed afterwards
 * @param onDisk whether the leechers download into files (the default file store) rather than
 *     into {@link SharedCopyStore}s
 * @param timeout the run fails if a leecher is not verified by then
 * @param json whether the last line of stdout is one JSON object
 * @param help whether to print the usage and do nothing else
 */
record SimOptions(int leechers, long size, int chunkSize, long upRate, long downRate, long linkRate,
    Duration stagger, long seed, @Nullable Path dir, boolean onDisk, Duration timeout, boolean json, boolean help) {
  static final int MAX_LEECHERS = 1000;

  static final String HELP = """
      Usage: bin/swarm-sim [OPTIONS]

      Runs one seeder and N leechers of a generated file in one JVM, over loopback TCP with an
      in-process tracker, every node behind upload and download limits, then reports how well
      the swarm used the links: a histogram of each leecher's average download rate as a share
      of its link, how many copies of the file the seeder uploaded, the completion time, and the
      CPU time the process used. Every leecher's file is checked against the seeder's SHA-256.

      Options:
        --leechers N      leechers, all downloading at once (default 30, at most 1000)
        --size SIZE       size of the generated file, e.g. 4M, 1G (default 16M)
        --chunk SIZE      chunk size, a power of two from 16K to 16M (default 256K)
        --link RATE       every node's upload and download limit, e.g. 1M = 1 MiB/s (default 1M)
        --up RATE         every node's upload limit (default: --link)
        --down RATE       every node's download limit (default: --link)
        --stagger MS      leechers start at random offsets from 0 to MS ms (default 0: together)
        --seed N          seeds the file's bytes and the start offsets (default 1)
        --store memory|disk
                          where the leechers keep their chunks (default memory: each chunk is
                          compared byte for byte with the seeder's file, mapped once for all).
                          A real node has a disk of its own; here 200 would share one, and its
                          writeback would take the CPU the links are measured with. disk: the
                          default file store, as the CLI downloads
        --dir DIR         put the seeder's file, and the leechers' with --store disk, in DIR,
                          which must be empty or new, and keep them (default: a temporary
                          directory, removed afterwards)
        --timeout SECONDS fail (exit 1) if a leecher is not verified by then (default 600)
        --json            end stdout with one line of JSON holding the figures
        -h, --help        show this and exit

      Exit codes: 0 every leecher verified, 1 a failure or the timeout, 2 a usage error.
      """;

  /** A command line that cannot be run; the message says what to write instead. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static SimOptions parse(String... args) {
    int leechers = 30;
    long size = 16L << 20;
    int chunk = 256 << 10;
    long link = 1L << 20;
    long up = -1;
    long down = -1;
    long stagger = 0;
    long seed = 1;
    Path dir = null;
    boolean onDisk = false;
    long timeout = 600;
    boolean json = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "-h", "--help" -> help = true;
        case "--json" -> json = true;
        case "--leechers", "--size", "--chunk", "--link", "--up", "--down", "--stagger", "--seed", "--dir",
            "--store", "--timeout" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException(arg + " needs a value");
            }
            value = args[++i];
          }
          switch (arg) {
            case "--leechers" -> leechers = (int) number(arg, value, 1, MAX_LEECHERS);
            case "--size" -> size = size(arg, value, 1);
            case "--chunk" -> chunk = chunkSize(value);
            case "--link" -> link = rate(arg, value);
            case "--up" -> up = rate(arg, value);
            case "--down" -> down = rate(arg, value);
            case "--stagger" -> stagger = number(arg, value, 0, 3_600_000);
            case "--seed" -> seed = number(arg, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case "--dir" -> dir = Path.of(value);
            case "--store" -> onDisk = switch (value.strip()) {
              case "disk" -> true;
              case "memory" -> false;
              default -> throw new UsageException("--store takes memory or disk, not '" + value + "'");
            };
            case "--timeout" -> timeout = number(arg, value, 1, 86_400);
            default -> throw new AssertionError(arg);
          }
        }
        default -> throw new UsageException("unknown option '" + args[i] + "'");
      }
    }
    try {
      Manifest.checkLayout(size, chunk);
    } catch (IllegalArgumentException e) {
      throw new UsageException("a " + size + "-byte file does not fit chunks of " + chunk + " bytes (" + e.getMessage()
          + "); choose a larger --chunk");
    }
    return new SimOptions(leechers, size, chunk, up < 0 ? link : up, down < 0 ? link : down, link,
        Duration.ofMillis(stagger), seed, dir, onDisk, Duration.ofSeconds(timeout), json, help);
  }

  private static long number(String option, String text, long min, long max) {
    try {
      long v = Long.parseLong(text.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " takes a whole number from " + min + " to " + max + ", not '" + text + "'");
  }

  /** A size such as {@code 4194304}, {@code 512K}, {@code 16M} or {@code 1G}; binary units, as the CLI reads them. */
  static long size(String option, String text, long min) {
    String s = text.strip().toUpperCase(Locale.ROOT);
    if (s.endsWith("IB")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("B")) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    if (!s.isEmpty() && "KMGT".indexOf(s.charAt(s.length() - 1)) >= 0) {
      unit = 1L << (10 * (1 + "KMGT".indexOf(s.charAt(s.length() - 1))));
      s = s.substring(0, s.length() - 1);
    }
    try {
      double v = Double.parseDouble(s) * unit;
      if (v >= min && v < Long.MAX_VALUE) {
        return (long) v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " takes a size of at least " + min + " bytes such as 512K, 16M or 1G, not '"
        + text + "'");
  }

  /** A rate in bytes per second, written as a size with an optional {@code /s}: {@code 1M} is 1 MiB/s. */
  static long rate(String option, String text) {
    String s = text.strip();
    return size(option, s.endsWith("/s") ? s.substring(0, s.length() - 2) : s, 1);
  }

  private static int chunkSize(String text) {
    long v = size("--chunk", text, 1);
    if (v < Manifest.MIN_CHUNK_SIZE || v > Manifest.MAX_CHUNK_SIZE || Long.bitCount(v) != 1) {
      throw new UsageException("--chunk takes a power of two from 16K to 16M, not '" + text + "'");
    }
    return (int) v;
  }
}
