package io.swarmshare.benchmarks.tracker;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.benchmarks.StatusLine;
import io.swarmshare.internal.tracker.FailoverTracker;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.transport.TcpTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The tracker benchmark, {@code bin/tracker-bench}: a tracker in a child JVM, a population of
 * simulated peers here, each a real tracker client ({@link RemoteTracker}, built as the client
 * builds it) with its own peer id and connection from one of many loopback addresses, and
 * requests offered open-loop ({@link OpenLoop}). It connects every peer and measures the
 * tracker's memory per idle connection, registers the files, offers the population's own load
 * for a warm-up and a measured run, measures the memory the population's state takes, then
 * ramps the rate to the highest the tracker sustains. {@code --help} lists the options.
 */
public final class TrackerBench {
  /** Peers connecting, or files registering, at once: about what the tracker's listen backlog takes. */
  private static final int SETUP_CONCURRENCY = 64;
  /**
   * The ramp goes down at most to this fraction of the population's own rate: a tracker that
   * cannot sustain an eighth of it has a problem a lower rate does not measure.
   */
  private static final double LOWEST_SHARE = 1.0 / 8;
  /** Bisections between the highest sustained rate and the lowest not sustained. */
  private static final int REFINEMENTS = 2;

  private TrackerBench() {}

  public static void main(String[] args) {
    // bin/tracker-bench says whether stderr is a terminal: Java 21 cannot ask.
    System.exit(run(System.out, System.err, Boolean.getBoolean("swarmshare.stderr.tty"), args));
  }

  /**
   * Runs the benchmark as {@code bin/tracker-bench} does and returns its exit code: 0 when it
   * ran and the measured run had no failures, 1 otherwise, 2 for a command line it cannot run.
   */
  static int run(PrintStream out, PrintStream err, boolean progress, String... args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      err.println("tracker-bench: " + e.getMessage() + "; see bin/tracker-bench --help");
      return 2;
    }
    if (options.help()) {
      out.print(BenchOptions.HELP);
      return 0;
    }
    StatusLine status = new StatusLine("tracker-bench", progress ? err : null);
    try {
      BenchReport report;
      try {
        report = bench(options, status);
      } finally {
        status.clear();
      }
      out.print(report.text());
      if (options.json()) {
        out.println(report.json());
      }
      out.flush();
      if (!report.ok()) {
        err.println("tracker-bench: " + report.failure());
        return 1;
      }
      return 0;
    } catch (IOException | UnsupportedOperationException e) {
      err.println("tracker-bench: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("tracker-bench: interrupted");
      return 1;
    }
  }

  static BenchReport bench(BenchOptions o, StatusLine status) throws IOException, SwarmException, InterruptedException {
    redisMemory(o); // with a Redis store, fail before building anything if Redis is not there
    status.show("building a population of " + o.peers() + " peers and " + o.files() + " files");
    Population population = new Population(o);
    double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    status.show("starting the tracker");
    try (TrackerProcess tracker = TrackerProcess.start(o.store(), o.maxConnections())) {
      long redis0 = redisMemory(o);
      TrackerProcess.Memory empty = tracker.memory();
      Tracker[] clients = new Tracker[o.peers()];
      try {
        PeerAddress address = new PeerAddress("127.0.0.1", tracker.port());
        Map<InetAddress, TcpTransport> transports = new HashMap<>();
        for (int p = 0; p < clients.length; p++) {
          TcpTransport transport = transports.computeIfAbsent(population.sources[p], TcpTransport::new);
          // As ClientBuilder.start() makes a client's tracker: one address, the default settings.
          clients[p] = FailoverTracker.connect(List.of(address), transport, population.ids[p],
              RemoteTracker.Settings.DEFAULTS, FailoverTracker.DEFAULT_REST);
        }
        long t0 = System.nanoTime();
        long cpu0 = tracker.cpuNanos();
        String refused = setup(clients.length, status, "connecting peers", p -> () -> {
          if (clients[p] instanceof RemoteTracker r) {
            r.ping();
          }
        });
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        long cpu1 = tracker.cpuNanos();
        long connectCpu = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
        if (refused != null) {
          throw new SwarmException("the tracker did not take every peer's connection: " + refused
              + (o.maxConnections() == 0 ? "" : " (--max-connections " + o.maxConnections() + ")"));
        }
        status.show(o.peers() + " peers connected; measuring the tracker's memory");
        TrackerProcess.Memory connected = tracker.memory();
        String unregistered = setup(o.files(), status, "registering files", f -> () -> {
          if (population.registrar[f] >= 0) {
            clients[population.registrar[f]].register(population.manifests[f], population.names[f]);
          }
        });
        if (unregistered != null) {
          throw new SwarmException("the tracker did not register every file: " + unregistered);
        }

        try (OpenLoop loop = new OpenLoop(population, clients, tracker::cpuNanos)) {
          return load(o, population, tracker, loop, connectSeconds, connectCpu, empty, connected, redis0, load0,
              status);
        }
      } finally {
        status.show("closing " + o.peers() + " connections");
        for (Tracker c : clients) {
          if (c != null) {
            c.close();
          }
        }
      }
    }
  }

  /** The warm-up, the measured run, the memory with every peer's state, and the ramp. */
  private static BenchReport load(BenchOptions o, Population population, TrackerProcess tracker, OpenLoop loop,
      double connectSeconds, long connectCpu, TrackerProcess.Memory empty, TrackerProcess.Memory connected,
      long redis0, double load0, StatusLine status) throws IOException, InterruptedException {
    double natural = population.naturalRate(o);
    if (!o.warmup().isZero()) {
      loop.run(natural, o.warmup(), line -> status.show("warm-up: " + line));
    }
    long[] gc0 = tracker.gc();
    long[] selfGc0 = TrackerNode.gc();
    long redisCpu0 = redisCpu(o);
    OpenLoop.Phase main = loop.run(natural, o.duration(), line -> status.show("measuring: " + line));
    long redisCpu1 = redisCpu(o);
    long[] gc1 = tracker.gc();
    long[] selfGc1 = TrackerNode.gc();
    GcTimes gc = new GcTimes(gc1[0] - gc0[0], gc1[1] - gc0[1], selfGc1[0] - selfGc0[0], selfGc1[1] - selfGc0[1]);
    loop.settle();
    status.show("measuring the tracker's memory");
    TrackerProcess.Memory loaded = tracker.memory();
    long redis1 = redisMemory(o);
    List<OpenLoop.Phase> ramp = o.ramp() ? ramp(o, loop, main, status) : List.of();
    double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String failure = main.errors() + main.unanswered() == 0 ? null : String.format(Locale.ROOT,
        "%d of %d requests of the measured run failed and %d went unanswered%s", main.errors(), main.offered(),
        main.unanswered(), main.firstErrors().isEmpty() ? "" : "; the first: " + main.firstErrors().get(0));
    return new BenchReport(o, population.downloaders, population.heldEntries, population.mostHolders, natural,
        population.announceShare(), connectSeconds, connectCpu, empty, connected, loaded, redis0, redis1,
        redisCpu0 < 0 ? -1 : redisCpu1 - redisCpu0, main, gc, ramp,
        Runtime.getRuntime().availableProcessors(), load0, load1, failure);
  }

  /**
   * The ramp: starting from the measured run, doubles the rate until a step is not sustained
   * (or halves it until one is, down to an eighth), then bisects between the two.
   */
  private static List<OpenLoop.Phase> ramp(BenchOptions o, OpenLoop loop, OpenLoop.Phase main, StatusLine status)
      throws InterruptedException {
    List<OpenLoop.Phase> steps = new ArrayList<>();
    double good = main.sustained(o.rampP99()) ? main.offeredRate() : 0;
    double bad = good > 0 ? Double.POSITIVE_INFINITY : main.offeredRate();
    while (good > 0 && bad == Double.POSITIVE_INFINITY && good < o.maxRate()) {
      double rate = Math.min(o.maxRate(), good * 2);
      if (step(o, loop, rate, steps, status)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    while (good == 0 && bad / 2 >= main.offeredRate() * LOWEST_SHARE) {
      double rate = bad / 2;
      if (step(o, loop, rate, steps, status)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    for (int i = 0; i < REFINEMENTS && good > 0 && bad != Double.POSITIVE_INFINITY; i++) {
      double rate = Math.sqrt(good * bad);
      if (step(o, loop, rate, steps, status)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    return steps;
  }

  private static boolean step(BenchOptions o, OpenLoop loop, double rate, List<OpenLoop.Phase> steps,
      StatusLine status) throws InterruptedException {
    OpenLoop.Phase p = loop.run(rate, o.step(), line -> status.show("ramp step " + (steps.size() + 1) + ": " + line));
    steps.add(p);
    return p.sustained(o.rampP99());
  }

  /**
   * Garbage collection during the measured run, in the tracker and here.
   *
   * @param trackerCollections collections in the tracker's JVM
   * @param trackerMillis the milliseconds they took (pauses and concurrent work, as the JVM counts)
   * @param generatorCollections collections in this JVM, the load generator's
   * @param generatorMillis the milliseconds they took
   */
  record GcTimes(long trackerCollections, long trackerMillis, long generatorCollections, long generatorMillis) {}

  /** A setup task for item i. */
  private interface Task {
    void run() throws SwarmException;
  }

  /**
   * Runs {@code count} tasks, {@link #SETUP_CONCURRENCY} at a time on virtual threads, and
   * returns null if all succeeded, else how many failed and the first failure's message.
   */
  private static @Nullable String setup(int count, StatusLine status, String what, IntFunction<Task> task)
      throws InterruptedException {
    Semaphore slots = new Semaphore(SETUP_CONCURRENCY);
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long nextProgress = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      int item = i;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          task.apply(item).run();
        } catch (SwarmException | RuntimeException e) {
          if (failed.incrementAndGet() == 1) {
            failures.add(e.getMessage());
          }
        } finally {
          done.incrementAndGet();
          slots.release();
        }
      }));
      if (System.nanoTime() - nextProgress >= 0) {
        nextProgress = System.nanoTime() + 250_000_000L;
        status.show(what + ": " + done.get() + " of " + count);
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    return failed.get() == 0 ? null : failed.get() + " of " + count + " failed; the first: " + failures.peek();
  }

  /** Redis's CPU time so far, in nanoseconds, with {@code --store redis://...}, else -1. */
  private static long redisCpu(BenchOptions o) throws IOException {
    return readRedis(o, "the CPU time", RedisInfo::cpuNanos);
  }

  /** Redis's {@code used_memory} with {@code --store redis://...}, else -1. */
  private static long redisMemory(BenchOptions o) throws IOException {
    return readRedis(o, "the memory", RedisInfo::usedMemory);
  }

  /** One figure {@code what} of the Redis behind {@code --store redis://...}; -1 with the in-memory store. */
  private static long readRedis(BenchOptions o, String what, RedisFigure read) throws IOException {
    Store s = o.store();
    if (!s.isRedis()) {
      return -1;
    }
    try {
      return read.from(Objects.requireNonNull(s.redisHost()), s.redisPort());
    } catch (IOException e) {
      throw new IOException("cannot read " + what + " of Redis at " + s.redisHost() + ":" + s.redisPort() + ": "
          + e.getMessage(), e);
    }
  }

  /** A figure read from a Redis server's {@code INFO}. */
  @FunctionalInterface
  private interface RedisFigure {
    long from(String host, int port) throws IOException;
  }
}
