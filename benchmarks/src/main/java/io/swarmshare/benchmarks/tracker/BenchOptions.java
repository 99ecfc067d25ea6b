package io.swarmshare.benchmarks.tracker;

import java.time.Duration;

/**
 * What one run of {@code bin/tracker-bench} offers the tracker. Parsed from its command line.
 *
 * @param peers simulated peers, each with its own peer id and tracker connection
 * @param files files the population shares
 * @param minFilesPerPeer fewest files one peer holds
 * @param maxFilesPerPeer most files one peer holds
 * @param chunks chunks per file (the length of every bitfield)
 * @param downloaders the share of peers also downloading a file they do not hold yet
 * @param interval how often a peer re-announces each file it holds (the client's announce interval)
 * @param warmup load at the population's own rate before measuring: the first announce of every
 *     (peer, file) pair, and the JIT's warm-up
 * @param duration the measured run at the population's own rate
 * @param ramp whether to ramp the rate up afterwards to find the highest rate the tracker sustains
 * @param step how long each rate of the ramp is offered
 * @param rampP99 the announce p99 a ramp step must stay under to count as sustained
 * @param maxRate the ramp stops at this offered rate (requests per second, every kind)
 * @param perAddress simulated peers per loopback source address
 * @param maxConnections the tracker's connection cap, or 0 for its default
 * @param store where the tracker keeps its state
 * @param seed seeds the population and the order of requests
 * @param json whether the last line of stdout is one JSON object
 * @param help whether to print the usage and do nothing else
 */
record BenchOptions(int peers, int files, int minFilesPerPeer, int maxFilesPerPeer, int chunks, double downloaders,
    Duration interval, Duration warmup, Duration duration, boolean ramp, Duration step, Duration rampP99,
    double maxRate, int perAddress, int maxConnections, Store store, long seed, boolean json, boolean help) {
  /** The client's announce interval ({@code ClientBuilder.announceInterval}, 20 s by default). */
  static final Duration CLIENT_ANNOUNCE_INTERVAL = Duration.ofSeconds(20);
  /**
   * How often a download announces, and asks for peers while it has a slot free
   * ({@code ClientBuilder.trackerInterval}, 1 s by default).
   */
  static final Duration CLIENT_TRACKER_INTERVAL = Duration.ofSeconds(1);
  /** How many peers a download asks for at a time (as {@code Client.peers} does). */
  static final int PEERS_ASKED = 64;
  /** Simulated peers in one run: each holds a socket here and one in the tracker. */
  static final int MAX_PEERS = 60_000;

  static final String HELP = """
      Usage: bin/tracker-bench [OPTIONS]

      Benchmarks a tracker with a simulated population over real loopback sockets. The tracker
      runs in a JVM of its own (as `swarmshare tracker` does); every simulated peer is a real
      tracker client with its own peer id and its own long-lived connection (the client's
      RemoteTracker), from one of many loopback addresses. Each peer holds a few of the files
      (popularity is Zipf-like) and re-announces each on the client's interval; some peers are
      downloading, and announce every second as a download does, asking for peers too while
      their file's swarm is too small to fill a download's 16 peer slots.

      Requests are offered open-loop at a fixed rate and every latency is measured from the
      time the request was due, not sent, so a stalled tracker cannot hide its queue
      (coordinated omission); latencies go into HdrHistograms. After a warm-up and a measured
      run at the population's own rate comes a ramp: the same mix at doubling rates (or
      halving ones, down to an eighth, if the population's own rate was not sustained), then
      bisected, to find the highest rate the tracker sustains (announce p99 under --ramp-p99,
      at least 95% of the offered rate answered, under 0.1% errors).

      Options:
        --peers N          simulated peers (default 1000, at most 60000; each needs a file
                           descriptor here and one in the tracker: see ulimit -n)
        --files M          files shared by the population (default 100)
        --files-per-peer A-B  each peer holds A to B files (default 3-5)
        --chunks N         chunks per file, the length of each bitfield (default 256)
        --downloaders F    share of peers downloading a file, from 0 to 1 (default 0.05)
        --interval SECONDS re-announce interval of a held file (default 20, the client's)
        --warmup SECONDS   load before measuring (default: one interval, so every peer has
                           announced every file once)
        --duration SECONDS measured run at the population's own rate (default 40)
        --step SECONDS     length of each ramp step (default 10)
        --ramp-p99 MS      announce p99 a ramp step must stay under (default 10)
        --max-rate R       highest rate the ramp offers, requests per second (default 200000)
        --no-ramp          skip the ramp
        --per-address N    simulated peers per loopback source address (default 10)
        --max-connections N  the tracker's connection cap (default: the tracker's default)
        --store STORE      memory (default) or redis://HOST:PORT
        --seed N           seeds the population and the order of requests (default 1)
        --json             end stdout with one line of JSON holding the figures
        -h, --help         show this and exit

      The tracker JVM gets SWARMSHARE_TRACKER_JAVA_OPTS, this one SWARMSHARE_JAVA_OPTS.
      Exit codes: 0 the run completed, 1 a failure (the tracker refused peers, errors in the
      measured run), 2 a usage error.
      """;

  /** A command line that cannot be run; the message says what to write instead. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static BenchOptions parse(String... args) {
    int peers = 1000;
    int files = 100;
    int minFiles = 3;
    int maxFiles = 5;
    int chunks = 256;
    double downloaders = 0.05;
    long interval = CLIENT_ANNOUNCE_INTERVAL.toSeconds();
    long warmup = -1;
    long duration = 40;
    boolean ramp = true;
    long step = 10;
    long rampP99 = 10;
    double maxRate = 200_000;
    int perAddress = 10;
    int maxConnections = 0;
    Store store = Store.MEMORY;
    long seed = 1;
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
        case "--no-ramp" -> ramp = false;
        case "--peers", "--files", "--files-per-peer", "--chunks", "--downloaders", "--interval", "--warmup",
            "--duration", "--step", "--ramp-p99", "--max-rate", "--per-address", "--max-connections", "--store",
            "--seed" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException(arg + " needs a value");
            }
            value = args[++i];
          }
          switch (arg) {
            case "--peers" -> peers = (int) number(arg, value, 1, MAX_PEERS);
            case "--files" -> files = (int) number(arg, value, 1, 10_000);
            case "--files-per-peer" -> {
              String[] range = value.split("-", 2);
              minFiles = (int) number(arg, range[0], 1, 1000);
              maxFiles = range.length == 1 ? minFiles : (int) number(arg, range[1], minFiles, 1000);
            }
            case "--chunks" -> chunks = (int) number(arg, value, 1, 1 << 16);
            case "--downloaders" -> downloaders = fraction(arg, value);
            case "--interval" -> interval = number(arg, value, 1, 3600);
            case "--warmup" -> warmup = number(arg, value, 0, 3600);
            case "--duration" -> duration = number(arg, value, 1, 86_400);
            case "--step" -> step = number(arg, value, 1, 3600);
            case "--ramp-p99" -> rampP99 = number(arg, value, 1, 60_000);
            case "--max-rate" -> maxRate = number(arg, value, 1, 10_000_000);
            case "--per-address" -> perAddress = (int) number(arg, value, 1, 65_000);
            case "--max-connections" -> maxConnections = (int) number(arg, value, 1, 10_000_000);
            case "--store" -> {
              try {
                store = Store.parse(value);
              } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
              }
            }
            case "--seed" -> seed = number(arg, value, Long.MIN_VALUE, Long.MAX_VALUE);
            default -> throw new AssertionError(arg);
          }
        }
        default -> throw new UsageException("unknown option '" + args[i] + "'");
      }
    }
    if (maxFiles > files) {
      throw new UsageException("--files-per-peer " + minFiles + "-" + maxFiles + " needs at least " + maxFiles
          + " --files, not " + files);
    }
    long perFile = io.swarmshare.internal.tracker.TrackerLimits.DEFAULTS.maxPeersPerFile();
    if ((long) peers * maxFiles > files * perFile / 2) {
      throw new UsageException(peers + " peers holding up to " + maxFiles + " files each need more than " + files
          + " --files: the tracker lists at most " + perFile + " peers per file");
    }
    if ((long) peers / perAddress > 250L * 250) {
      throw new UsageException("--per-address " + perAddress + " needs more than the 62500 loopback addresses"
          + " the benchmark uses; raise it");
    }
    return new BenchOptions(peers, files, minFiles, maxFiles, chunks, downloaders, Duration.ofSeconds(interval),
        Duration.ofSeconds(warmup < 0 ? interval : warmup), Duration.ofSeconds(duration), ramp,
        Duration.ofSeconds(step), Duration.ofMillis(rampP99), maxRate, perAddress, maxConnections, store, seed, json,
        help);
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

  private static double fraction(String option, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      if (v >= 0 && v <= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " takes a number from 0 to 1, not '" + text + "'");
  }
}
