package io.swarmshare.internal.tracker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a tracker server has answered since it started: requests by type, errors by code, and
 * how long answering took, in a histogram with fixed bounds (as Prometheus histograms are), so
 * a snapshot is cheap and never holds a lock on the request path. Thread-safe.
 */
public final class TrackerCounters {
  /** Upper bounds of the latency buckets, in seconds (the last bucket is everything above). */
  public static final double[] LATENCY_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1, 0.25, 0.5, 1, 2.5};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[LATENCY_BOUNDS.length + 1];
  private final LongAdder latencyNanos = new LongAdder();

  /** Counters at zero. */
  public TrackerCounters() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** A request of {@code type} was answered (with a reply or an error) in {@code nanos}. */
  void answered(String type, long nanos) {
    requests.computeIfAbsent(known(type), t -> new LongAdder()).increment();
    latencyNanos.add(nanos);
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[i]) {
      i++;
    }
    buckets[i].increment();
  }

  /** A request was answered with the error {@code code}. */
  void refused(String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** Requests answered so far, by type. */
  public Map<String, Long> requests() {
    return snapshot(requests);
  }

  /** Errors sent so far, by code. */
  public Map<String, Long> errors() {
    return snapshot(errors);
  }

  /** Requests per latency bucket, {@link #LATENCY_BOUNDS} then the overflow bucket; not cumulative. */
  public long[] latencyBuckets() {
    long[] out = new long[buckets.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = buckets[i].sum();
    }
    return out;
  }

  /** Total time spent answering, in nanoseconds. */
  public long latencyNanos() {
    return latencyNanos.sum();
  }

  /** Types a client cannot invent: anything unknown is counted as one type, so the map stays small. */
  private static String known(String type) {
    return switch (type) {
      case "ping", "register", "announce", "leave", "peers", "manifest", "search" -> type;
      default -> "other";
    };
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
