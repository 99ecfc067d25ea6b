package io.swarmshare.benchmarks.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.swarmshare.benchmarks.JsonNumbers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one simulated swarm, and the two ways they are shown: text for people, one
 * JSON object for scripts.
 *
 * @param options the scenario
 * @param finished leechers whose file was verified in time
 * @param seconds from the first download's start to the last leecher verified (to the end of the
 *     run if some never were)
 * @param utilizations each verified leecher's link utilization, ascending: the file's size over
 *     its own download time, divided by its download limit
 * @param verifiedBytes bytes verified across all leechers by the end, finished or not
 * @param seederBytes bytes the verified leechers received from the seeder
 * @param seederSentBytes bytes of chunks the seeder sent ({@code SwarmClient.bytesUploaded()}):
 *     beside {@code seederBytes}, duplicates and chunks whose download did not finish
 * @param sentBytes bytes of chunks every node sent, the seeder included
 * @param medianPeers the median number of peers a verified leecher received chunks from
 * @param cpuSeconds CPU time the whole process used over {@code seconds}
 * @param cores processors available to the JVM
 * @param loadBefore the system's one-minute load average as the downloads started, negative if unknown
 * @param loadAfter the same at the end: above {@code cores}, other processes competed for the CPU
 * @param peakRssBytes the process's peak resident memory, or -1 if unknown
 * @param peakDirectBytes the most direct-buffer memory seen in use (sampled), or -1 if unknown
 * @param failure why the run failed, or null if every leecher was verified
 */
record SimReport(SimOptions options, int finished, double seconds, List<Double> utilizations, long verifiedBytes,
    long seederBytes, long seederSentBytes, long sentBytes, double medianPeers, double cpuSeconds, int cores,
    double loadBefore, double loadAfter, long peakRssBytes, long peakDirectBytes, @Nullable String failure) {
  private static final int BAR_WIDTH = 40;

  SimReport {
    utilizations = List.copyOf(utilizations);
  }

  boolean ok() {
    return failure == null;
  }

  double minLinkUtilization() {
    return percentile(0);
  }

  double p10LinkUtilization() {
    return percentile(0.10);
  }

  double medianLinkUtilization() {
    return percentile(0.50);
  }

  double maxLinkUtilization() {
    return percentile(1);
  }

  /** The share of all the leechers' bytes verified by the end: 1 when every leecher finished. */
  double verifiedFraction() {
    return (double) verifiedBytes / ((double) options.size() * options.leechers());
  }

  /** Copies of the file the seeder uploaded to the verified leechers. */
  double seederUploadRatio() {
    return (double) seederBytes / options.size();
  }

  /**
   * The least time any swarm could take: every leecher must take in the whole file through its
   * download link, the seeder must send every byte at least once, and the leechers' copies
   * must come out of the upload links of all the nodes together.
   */
  double lowerBoundSeconds() {
    double size = options.size();
    int n = options.leechers();
    return Math.max(Math.max(size / options.downRate(), size / options.upRate()),
        n * size / ((n + 1.0) * options.upRate()));
  }

  /** Copies of the file the seeder sent, wanted or not. */
  double seederSentRatio() {
    return (double) seederSentBytes / options.size();
  }

  /**
   * The share of the bytes sent that no leecher needed: endgame duplicates, chunks a leecher
   * already had from elsewhere, chunks of unfinished downloads in flight at the end; NaN if the
   * clients do not count what they send.
   */
  double wastedFraction() {
    return sentBytes <= 0 ? Double.NaN : Math.max(0, 1 - (double) verifiedBytes / sentBytes);
  }

  /** The share of the machine's CPU the process used. */
  double cpuShare() {
    return seconds <= 0 ? 0 : cpuSeconds / (seconds * cores);
  }

  /** Linear interpolation between the closest ranks, as NumPy's default; NaN with no leecher verified. */
  private double percentile(double p) {
    if (utilizations.isEmpty()) {
      return Double.NaN;
    }
    double rank = p * (utilizations.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return utilizations.get(lo) + (utilizations.get(hi) - utilizations.get(lo)) * (rank - lo);
  }

  String text() {
    StringBuilder b = new StringBuilder();
    SimOptions o = options;
    b.append(String.format(Locale.ROOT, "1 seeder and %d leechers in one JVM: a %s file in %d chunks of %s, every node"
            + " limited to %s up and %s down, leechers storing to %s, seed %d%s%n",
        o.leechers(), bytes(o.size()), (o.size() + o.chunkSize() - 1) / o.chunkSize(), bytes(o.chunkSize()),
        rate(o.upRate()), rate(o.downRate()), o.onDisk() ? "disk" : "memory", o.seed(),
        o.stagger().isZero() ? "" : ", starts spread over " + o.stagger().toMillis() + " ms"));
    if (finished == o.leechers()) {
      b.append(String.format(Locale.ROOT, "All %d leechers verified in %.1f s (the links allow %.1f s at best).%n",
          finished, seconds, lowerBoundSeconds()));
    } else {
      b.append(String.format(Locale.ROOT, "%d of %d leechers verified in %.1f s (the links allow %.1f s at best);"
          + " %.1f%% of all the leechers' bytes were in by then.%n", finished, o.leechers(), seconds, lowerBoundSeconds(),
          100 * verifiedFraction()));
    }
    b.append(String.format(Locale.ROOT, "%nLink utilization: each verified leecher's average download rate over its"
        + " %s download link%n", rate(o.downRate())));
    int[] buckets = new int[11];
    for (double u : utilizations) {
      buckets[u > 1 ? 10 : Math.min(9, (int) (u * 10))]++;
    }
    int most = 1;
    for (int c : buckets) {
      most = Math.max(most, c);
    }
    for (int i = 0; i < buckets.length; i++) {
      String label = i == 10 ? ">100%" : (i * 10) + "-" + (i * 10 + 10) + "%";
      int width = (int) Math.round((double) buckets[i] * BAR_WIDTH / most);
      if (buckets[i] > 0 && width == 0) {
        width = 1;
      }
      b.append(String.format(Locale.ROOT, "  %8s  %-" + BAR_WIDTH + "s %4d%n", label, "#".repeat(width), buckets[i]));
    }
    if (!utilizations.isEmpty()) {
      b.append(String.format(Locale.ROOT, "  min %.0f%%, p10 %.0f%%, median %.0f%%, max %.0f%%%n",
          100 * minLinkUtilization(), 100 * p10LinkUtilization(), 100 * medianLinkUtilization(),
          100 * maxLinkUtilization()));
    }
    long received = (long) finished * o.size();
    b.append(String.format(Locale.ROOT, "%nThe seeder uploaded %.2f times the file: %s of the %s the verified leechers"
            + " received (%.0f%%); the median leecher got chunks from %s peers.%n",
        seederUploadRatio(), bytes(seederBytes), bytes(received), received == 0 ? 0 : 100.0 * seederBytes / received,
        medianPeers == Math.rint(medianPeers) ? String.valueOf((long) medianPeers) : String.valueOf(medianPeers)));
    if (sentBytes > 0) {
      b.append(String.format(Locale.ROOT, "The seeder sent %.2f times the file in all; every node together sent %s for"
              + " the %s the leechers verified: %.0f%% of what was sent was not needed.%n",
          seederSentRatio(), bytes(sentBytes), bytes(verifiedBytes), 100 * wastedFraction()));
    }
    b.append(String.format(Locale.ROOT, "CPU: %.1f s over the %.1f s on %d cores, %.0f%% of the machine: %s%n",
        cpuSeconds, seconds, cores, 100 * cpuShare(), cpuShare() >= 0.85
            ? "the CPU was (nearly) saturated, so it, not the links, may have been the limit."
            : "the CPU had room to spare, so the links and the engine set the pace."));
    if (loadAfter >= 0) {
      b.append(String.format(Locale.ROOT, "System load average %.1f at the start, %.1f at the end, on %d cores%s%n",
          loadBefore, loadAfter, cores, Math.max(loadBefore, loadAfter) > cores
              ? ": other processes may have competed for the CPU." : "."));
    }
    if (peakRssBytes >= 0 || peakDirectBytes >= 0) {
      b.append(String.format(Locale.ROOT, "Memory: peak resident %s, direct buffers up to %s%s.%n",
          peakRssBytes < 0 ? "unknown" : bytes(peakRssBytes), peakDirectBytes < 0 ? "unknown" : bytes(peakDirectBytes),
          options.onDisk() ? "" : " (the leechers' copies among them)"));
    }
    return b.toString();
  }

  /** One line of JSON, no line break. */
  String json() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeBooleanField("ok", ok());
      g.writeNumberField("leechers", options.leechers());
      g.writeNumberField("finished", finished);
      g.writeNumberField("verifiedFraction", JsonNumbers.round(verifiedFraction(), 4));
      g.writeNumberField("seconds", JsonNumbers.round(seconds, 3));
      g.writeNumberField("lowerBoundSeconds", JsonNumbers.round(lowerBoundSeconds(), 3));
      JsonNumbers.write(g, "minLinkUtilization", minLinkUtilization());
      JsonNumbers.write(g, "p10LinkUtilization", p10LinkUtilization());
      JsonNumbers.write(g, "medianLinkUtilization", medianLinkUtilization());
      JsonNumbers.write(g, "maxLinkUtilization", maxLinkUtilization());
      g.writeNumberField("seederUploadRatio", JsonNumbers.round(seederUploadRatio(), 4));
      g.writeNumberField("seederBytes", seederBytes);
      g.writeNumberField("seederSentRatio", JsonNumbers.round(seederSentRatio(), 4));
      g.writeNumberField("sentBytes", sentBytes);
      g.writeNumberField("verifiedBytes", verifiedBytes);
      JsonNumbers.write(g, "wastedFraction", wastedFraction());
      g.writeNumberField("medianPeers", medianPeers);
      JsonNumbers.write(g, "cpuSeconds", cpuSeconds);
      g.writeNumberField("cores", cores);
      JsonNumbers.write(g, "loadAverageBefore", loadBefore < 0 ? Double.NaN : loadBefore);
      JsonNumbers.write(g, "loadAverageAfter", loadAfter < 0 ? Double.NaN : loadAfter);
      g.writeNumberField("linkBytesPerSecond", options.linkRate());
      g.writeNumberField("upBytesPerSecond", options.upRate());
      g.writeNumberField("downBytesPerSecond", options.downRate());
      g.writeNumberField("size", options.size());
      g.writeNumberField("chunkSize", options.chunkSize());
      g.writeNumberField("staggerMillis", options.stagger().toMillis());
      g.writeNumberField("seed", options.seed());
      g.writeStringField("store", options.onDisk() ? "disk" : "memory");
      g.writeNumberField("peakRssBytes", peakRssBytes);
      g.writeNumberField("peakDirectBytes", peakDirectBytes);
      g.writeArrayFieldStart("linkUtilizations");
      for (double u : utilizations) {
        g.writeNumber(JsonNumbers.round(u, 4));
      }
      g.writeEndArray();
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
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f %s" : "%.1f %s", v, units[u]);
  }

  private static String rate(long bytesPerSecond) {
    return bytes(bytesPerSecond) + "/s";
  }
}
