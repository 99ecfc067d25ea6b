package io.swarmshare.benchmarks.tracker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.swarmshare.benchmarks.JsonNumbers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one run of {@code bin/tracker-bench}, as text for people and as one JSON
 * object for scripts.
 *
 * @param options the run
 * @param downloaders peers downloading a file
 * @param heldEntries (peer, file) pairs the peers hold
 * @param mostHolders holders and downloaders of the most popular file
 * @param naturalRate requests per second of the population's own schedule
 * @param announceShare the share of announces among its requests
 * @param connectSeconds time to connect every peer (hello and ping), 64 at a time
 * @param connectCpuNanos CPU the tracker used meanwhile, or negative if unknown
 * @param empty the tracker's memory before any peer connected
 * @param connected the same with every peer connected and idle, before any file was registered
 * @param loaded the same after the measured run, with every peer's state
 * @param redisBefore Redis's {@code used_memory} before the peers' state was written, or -1
 * @param redisAfter the same after the measured run, or -1
 * @param redisCpuNanos the CPU time Redis used during the measured run, or -1
 * @param main the measured run at the population's own rate
 * @param gc garbage collection during the measured run
 * @param ramp the ramp's steps, in the order run
 * @param cores processors here
 * @param loadBefore the system's one-minute load average at the start, negative if unknown
 * @param loadAfter the same at the end
 * @param failure why the run failed, or null
 */
record BenchReport(BenchOptions options, int downloaders, int heldEntries, int mostHolders, double naturalRate,
    double announceShare, double connectSeconds, long connectCpuNanos, TrackerProcess.Memory empty, TrackerProcess.Memory connected,
    TrackerProcess.Memory loaded, long redisBefore, long redisAfter, long redisCpuNanos, OpenLoop.Phase main, TrackerBench.GcTimes gc, List<OpenLoop.Phase> ramp,
    int cores, double loadBefore, double loadAfter, @Nullable String failure) {
  BenchReport {
    ramp = List.copyOf(ramp);
  }

  boolean ok() {
    return failure == null;
  }

  /** The highest-rate phase, the measured run or a ramp step, that was sustained; null if none. */
  OpenLoop.@Nullable Phase best() {
    OpenLoop.Phase best = main.sustained(options.rampP99()) ? main : null;
    for (OpenLoop.Phase p : ramp) {
      if (p.sustained(options.rampP99()) && (best == null || p.offeredRate() > best.offeredRate())) {
        best = p;
      }
    }
    return best;
  }

  /** Announces per second the tracker sustained at best (offered, with the rest of the mix), or 0. */
  double maxAnnouncesPerSecond() {
    OpenLoop.Phase b = best();
    return b == null ? 0 : b.offeredAnnounceRate();
  }

  /** True if the ramp stopped at {@code --max-rate} still sustained: the tracker can do more. */
  boolean rampCapped() {
    OpenLoop.Phase b = best();
    return b != null && b.offeredRate() >= options.maxRate();
  }

  long heapPerConnection() {
    return (connected.heapBytes() - empty.heapBytes()) / options.peers();
  }

  long rssPerConnection() {
    return (connected.rssBytes() - empty.rssBytes()) / options.peers();
  }

  long heapPerPeer() {
    return (loaded.heapBytes() - connected.heapBytes()) / options.peers();
  }

  long redisPerPeer() {
    return redisBefore < 0 ? -1 : (redisAfter - redisBefore) / options.peers();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  private static double maxMs(Histogram h) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6;
  }

  private static double micros(long nanos, long requests) {
    return nanos < 0 || requests == 0 ? Double.NaN : nanos / 1e3 / requests;
  }

  String text() {
    BenchOptions o = options;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Tracker on store '%s' in its own JVM; %d simulated peers (%d per loopback"
            + " address), each a tracker client with its own id and connection%n", o.store().spec(), o.peers(),
        o.perAddress()));
    b.append(String.format(Locale.ROOT, "%d files of %d chunks; each peer holds %d to %d of them (%d entries, Zipf-like:"
            + " the most popular has %d peers); %d peers downloading%n", o.files(), o.chunks(), o.minFilesPerPeer(),
        o.maxFilesPerPeer(), heldEntries, mostHolders, downloaders));
    b.append(String.format(Locale.ROOT, "The population's own load: %.0f requests/s (%.0f announces/s): each held file"
            + " re-announced every %d s, each download announcing and asking for %d peers every %d s%n",
        naturalRate, naturalRate * announceShare, o.interval().toSeconds(), BenchOptions.PEERS_ASKED,
        BenchOptions.CLIENT_TRACKER_INTERVAL.toSeconds()));
    b.append(String.format(Locale.ROOT, "Connected every peer in %.1f s; the tracker spent %.0f µs of CPU per"
        + " connection (accept, hello, ping).%n", connectSeconds, micros(connectCpuNanos, o.peers())));

    b.append(String.format(Locale.ROOT, "%nMeasured run: %d s at %.0f requests/s, open loop, after a %d s warm-up;"
            + " latency from when each request was due%n", o.duration().toSeconds(), main.offeredRate(),
        o.warmup().toSeconds()));
    b.append(latencies("announce", main.announce()));
    b.append(latencies("peers", main.peers()));
    b.append(String.format(Locale.ROOT, "  %d of %d requests answered in time, %d errors, %d unanswered%n",
        main.answeredInTime(), main.offered(), main.errors(), main.unanswered()));
    for (String e : main.firstErrors()) {
      b.append("  error: ").append(e).append('\n');
    }
    b.append(String.format(Locale.ROOT, "  CPU per request: tracker %.1f µs, load generator %.1f µs%s%n",
        micros(main.trackerCpuNanos(), main.offered()), micros(main.generatorCpuNanos(), main.offered()),
        redisCpuNanos < 0 ? "" : String.format(Locale.ROOT, ", Redis %.1f µs", micros(redisCpuNanos, main.offered()))));

    b.append(String.format(Locale.ROOT, "  GC: tracker %d collections, %d ms; load generator %d collections, %d ms%n",
        gc.trackerCollections(), gc.trackerMillis(), gc.generatorCollections(), gc.generatorMillis()));
    b.append(String.format(Locale.ROOT, "%nTracker memory (heap in use after a full GC, resident):%n"));
    b.append(String.format(Locale.ROOT, "  empty                   %10s %10s%n", bytes(empty.heapBytes()),
        bytes(empty.rssBytes())));
    b.append(String.format(Locale.ROOT, "  %6d idle connections %10s %10s   per connection: %s heap, %s resident%n",
        o.peers(), bytes(connected.heapBytes()), bytes(connected.rssBytes()), bytes(heapPerConnection()),
        bytes(rssPerConnection())));
    b.append(String.format(Locale.ROOT, "  with every peer's state %10s %10s   per peer: %s heap (%s per entry)%n",
        bytes(loaded.heapBytes()), bytes(loaded.rssBytes()), bytes(heapPerPeer()),
        bytes((loaded.heapBytes() - connected.heapBytes()) / Math.max(1, heldEntries + downloaders))));
    if (redisBefore >= 0) {
      b.append(String.format(Locale.ROOT, "Redis used_memory: %s before, %s with every peer's state: %s per peer%n",
          bytes(redisBefore), bytes(redisAfter), bytes(redisPerPeer())));
    }

    if (!ramp.isEmpty()) {
      b.append(String.format(Locale.ROOT, "%nRamp: %d s steps; sustained = announce p99 <= %d ms, >= 95%% answered in"
          + " time, < 0.1%% errors%n", o.step().toSeconds(), o.rampP99().toMillis()));
      b.append(String.format(Locale.ROOT, "  %12s %12s %12s %12s %12s %8s  %s%n", "offered/s", "announces/s",
          "answered/s", "announce p99", "peers p99", "errors", "sustained"));
      for (OpenLoop.Phase p : ramp) {
        b.append(String.format(Locale.ROOT, "  %12.0f %12.0f %12.0f %10.2f ms %9.2f ms %8d  %s%n", p.offeredRate(),
            p.offeredAnnounceRate(), p.achievedRate(), ms(p.announce(), 99), ms(p.peers(), 99), p.errors(),
            p.sustained(o.rampP99()) ? "yes" : "no"));
      }
    }
    OpenLoop.Phase best = best();
    b.append(best == null
        ? String.format(Locale.ROOT, "No rate was sustained (announce p99 <= %d ms).%n", o.rampP99().toMillis())
        : String.format(Locale.ROOT, "Highest rate sustained: %.0f requests/s, %.0f of them announces%s.%n",
            best.offeredRate(), best.offeredAnnounceRate(), rampCapped() ? " (the --max-rate cap: it may do more)"
                : o.ramp() ? "" : " (no ramp: the measured run only)"));
    if (loadAfter >= 0) {
      b.append(String.format(Locale.ROOT, "System load average %.1f at the start, %.1f at the end, on %d cores%s%n",
          loadBefore, loadAfter, cores, Math.max(loadBefore, loadAfter) > cores
              ? ": other processes may have competed for the CPU." : "."));
    }
    return b.toString();
  }

  private static String latencies(String what, Histogram h) {
    return String.format(Locale.ROOT, "  %-8s p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms"
            + " (%d requests)%n", what, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), maxMs(h), h.getTotalCount());
  }

  /** One line of JSON, no line break. */
  String json() {
    StringWriter w = new StringWriter();
    BenchOptions o = options;
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeBooleanField("ok", ok());
      g.writeStringField("store", o.store().isRedis() ? "redis" : "memory");
      g.writeNumberField("peers", o.peers());
      g.writeNumberField("files", o.files());
      g.writeNumberField("minFilesPerPeer", o.minFilesPerPeer());
      g.writeNumberField("maxFilesPerPeer", o.maxFilesPerPeer());
      g.writeNumberField("chunks", o.chunks());
      g.writeNumberField("heldEntries", heldEntries);
      g.writeNumberField("mostHolders", mostHolders);
      g.writeNumberField("downloaders", downloaders);
      g.writeNumberField("peersPerAddress", o.perAddress());
      g.writeNumberField("intervalSeconds", o.interval().toSeconds());
      g.writeNumberField("warmupSeconds", o.warmup().toSeconds());
      g.writeNumberField("durationSeconds", o.duration().toSeconds());
      JsonNumbers.write(g, "offeredRequestsPerSecond", main.offeredRate());
      JsonNumbers.write(g, "offeredAnnouncesPerSecond", main.offeredAnnounceRate());
      JsonNumbers.write(g, "achievedRequestsPerSecond", main.achievedRate());
      JsonNumbers.write(g, "announceP50Ms", ms(main.announce(), 50));
      JsonNumbers.write(g, "announceP90Ms", ms(main.announce(), 90));
      JsonNumbers.write(g, "announceP99Ms", ms(main.announce(), 99));
      JsonNumbers.write(g, "announceP999Ms", ms(main.announce(), 99.9));
      JsonNumbers.write(g, "announceMaxMs", maxMs(main.announce()));
      JsonNumbers.write(g, "peersP50Ms", ms(main.peers(), 50));
      JsonNumbers.write(g, "peersP99Ms", ms(main.peers(), 99));
      JsonNumbers.write(g, "peersMaxMs", maxMs(main.peers()));
      g.writeNumberField("announces", main.announce().getTotalCount());
      g.writeNumberField("peersQueries", main.peers().getTotalCount());
      g.writeNumberField("requests", main.offered());
      g.writeNumberField("answeredInTime", main.answeredInTime());
      g.writeNumberField("errors", main.errors());
      g.writeNumberField("unanswered", main.unanswered());
      JsonNumbers.write(g, "trackerCpuMicrosPerRequest", micros(main.trackerCpuNanos(), main.offered()));
      JsonNumbers.write(g, "generatorCpuMicrosPerRequest", micros(main.generatorCpuNanos(), main.offered()));
      g.writeNumberField("trackerGcCollections", gc.trackerCollections());
      g.writeNumberField("trackerGcMillis", gc.trackerMillis());
      g.writeNumberField("generatorGcCollections", gc.generatorCollections());
      g.writeNumberField("generatorGcMillis", gc.generatorMillis());
      JsonNumbers.write(g, "connectSeconds", connectSeconds);
      JsonNumbers.write(g, "trackerCpuMicrosPerConnection", micros(connectCpuNanos, o.peers()));
      g.writeNumberField("trackerHeapEmptyBytes", empty.heapBytes());
      g.writeNumberField("trackerRssEmptyBytes", empty.rssBytes());
      g.writeNumberField("trackerHeapConnectedBytes", connected.heapBytes());
      g.writeNumberField("trackerRssConnectedBytes", connected.rssBytes());
      g.writeNumberField("trackerHeapBytes", loaded.heapBytes());
      g.writeNumberField("trackerRssBytes", loaded.rssBytes());
      g.writeNumberField("trackerHeapPerConnectionBytes", heapPerConnection());
      g.writeNumberField("trackerRssPerConnectionBytes", rssPerConnection());
      g.writeNumberField("trackerHeapPerPeerBytes", heapPerPeer());
      if (redisBefore >= 0) {
        g.writeNumberField("redisUsedMemoryBytes", redisAfter);
        g.writeNumberField("redisBytesPerPeer", redisPerPeer());
        JsonNumbers.write(g, "redisCpuMicrosPerRequest", micros(redisCpuNanos, main.offered()));
      }
      JsonNumbers.write(g, "maxAnnouncesPerSecond", maxAnnouncesPerSecond());
      OpenLoop.Phase best = best();
      JsonNumbers.write(g, "maxRequestsPerSecond", best == null ? 0 : best.offeredRate());
      g.writeBooleanField("rampCapped", rampCapped());
      g.writeNumberField("rampP99Ms", o.rampP99().toMillis());
      g.writeNumberField("rampStepSeconds", o.step().toSeconds());
      g.writeArrayFieldStart("rampSteps");
      for (OpenLoop.Phase p : ramp) {
        g.writeStartObject();
        JsonNumbers.write(g, "offeredRequestsPerSecond", p.offeredRate());
        JsonNumbers.write(g, "offeredAnnouncesPerSecond", p.offeredAnnounceRate());
        JsonNumbers.write(g, "achievedRequestsPerSecond", p.achievedRate());
        JsonNumbers.write(g, "announceP50Ms", ms(p.announce(), 50));
        JsonNumbers.write(g, "announceP99Ms", ms(p.announce(), 99));
        JsonNumbers.write(g, "peersP99Ms", ms(p.peers(), 99));
        g.writeNumberField("errors", p.errors());
        g.writeNumberField("unanswered", p.unanswered());
        JsonNumbers.write(g, "trackerCpuMicrosPerRequest", micros(p.trackerCpuNanos(), p.offered()));
        g.writeBooleanField("sustained", p.sustained(o.rampP99()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("cores", cores);
      JsonNumbers.write(g, "loadAverageBefore", loadBefore < 0 ? Double.NaN : loadBefore);
      JsonNumbers.write(g, "loadAverageAfter", loadAfter < 0 ? Double.NaN : loadAfter);
      g.writeNumberField("seed", o.seed());
      if (failure != null) {
        g.writeStringField("failure", failure);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }


  static String bytes(long n) {
    if (Math.abs(n) < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
