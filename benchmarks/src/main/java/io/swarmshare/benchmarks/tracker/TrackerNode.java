package io.swarmshare.benchmarks.tracker;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.TrackerBuilder;
import io.swarmshare.api.SwarmException;
import io.swarmshare.redis.RedisTracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The tracker under test, in a JVM of its own as {@code swarmshare tracker} runs (default JVM
 * flags, {@link SwarmShare#tracker()}, on 127.0.0.1), so its heap, resident memory and CPU are
 * its own and not the load generator's. {@link TrackerProcess} starts it and talks to it over
 * its stdin and stdout, one line at a time:
 *
 * <pre>
 * (started)        -> listening PORT
 * memory           -> memory HEAP_USED_AFTER_GC RSS      (bytes; after a full collection)
 * gc               -> gc COLLECTIONS MILLIS              (so far, every collector)
 * (stdin closed)   -> the tracker stops and the JVM exits
 * </pre>
 *
 * Arguments: {@code STORE [MAX_CONNECTIONS]}, where STORE is what {@code --store} took and
 * MAX_CONNECTIONS, if given, overrides the tracker's default connection cap.
 */
public final class TrackerNode {
  private TrackerNode() {}

  public static void main(String[] args) throws IOException {
    Store store = Store.parse(args[0]);
    TrackerBuilder builder = SwarmShare.tracker().port(0).bind("127.0.0.1");
    if (args.length > 1) {
      builder.maxConnections(Integer.parseInt(args[1]));
    }
    RunningTracker tracker;
    try {
      tracker = start(builder, store);
    } catch (SwarmException | UnsupportedOperationException e) {
      System.out.println("failed " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("listening " + tracker.boundAddress().getPort());
    System.out.flush();
    try (tracker; BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("gc")) {
          long[] gc = gc();
          System.out.println("gc " + gc[0] + " " + gc[1]);
          System.out.flush();
        } else if (line.equals("memory")) {
          System.gc();
          long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          System.out.println("memory " + heap + " " + rss());
          System.out.flush();
        }
      }
    }
    System.exit(0);
  }

  /** Starts the tracker on {@code store}: the in-memory one, or a {@link RedisTracker} on {@code redis://HOST:PORT}. */
  static RunningTracker start(TrackerBuilder builder, Store store) throws SwarmException {
    if (store.isRedis()) {
      return builder.store(RedisTracker.connect("redis://" + store.redisHost() + ":" + store.redisPort())).start();
    }
    return builder.start();
  }

  /** Garbage collections so far in this JVM and the milliseconds they took, over every collector. */
  static long[] gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, b.getCollectionCount());
      millis += Math.max(0, b.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** This process's resident set size now, from {@code /proc/self/status} (Linux), or -1. */
  static long rss() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
