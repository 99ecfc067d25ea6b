package io.swarmshare.internal.status;

import io.swarmshare.api.SwarmStats;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.internal.tracker.TrackerCounters;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A tracker's figures in the Prometheus text exposition format, version 0.0.4: names prefixed
 * {@code swarmshare_tracker_}, counters ending {@code _total}, bytes and seconds as base units,
 * label values escaped. Figures the store cannot tell (-1) are left out rather than shown as a
 * number that would mislead. Per-file series are limited to the busiest {@link #MAX_FILE_SERIES}
 * files, so a tracker with thousands of files cannot swamp the scraper.
 */
final class PrometheusText {
  /** The content type of this format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Files that get series of their own. */
  static final int MAX_FILE_SERIES = 50;

  private final StringBuilder out = new StringBuilder(4096);

  private PrometheusText() {}

  /** The exposition of {@code stats} and the latency histogram of {@code counters}. */
  static String of(TrackerStats stats, TrackerCounters counters, String version) {
    PrometheusText p = new PrometheusText();
    p.help("swarmshare_tracker_info", "gauge", "Always 1; the version label says which SwarmShare serves.");
    p.sample("swarmshare_tracker_info", "version", version, 1);
    p.gauge("swarmshare_tracker_connections", "Client connections open now.", stats.connections());
    p.gauge("swarmshare_tracker_files", "Files the tracker knows now.", stats.files());
    p.gauge("swarmshare_tracker_peers", "Peer entries listed now, one per (file, peer).", stats.peers());
    p.gauge("swarmshare_tracker_seeders", "Peer entries holding every chunk of their file.", stats.seeders());
    p.gauge("swarmshare_tracker_leechers", "Peer entries still missing chunks of their file.", stats.leechers());
    p.counter("swarmshare_tracker_completed_downloads_total",
        "Downloads seen to finish: an entry announced incomplete, then complete.", stats.completed());
    if (stats.bytesUploaded() >= 0 || stats.bytesDownloaded() >= 0) {
      p.help("swarmshare_tracker_reported_bytes_total", "counter",
          "Bytes peers reported moving, by direction; claims of the peers, for display only.");
      p.sample("swarmshare_tracker_reported_bytes_total", "direction", "upload", stats.bytesUploaded());
      p.sample("swarmshare_tracker_reported_bytes_total", "direction", "download", stats.bytesDownloaded());
    }
    p.labelled("swarmshare_tracker_requests_total", "Requests answered, by type.", "type", stats.requests());
    p.labelled("swarmshare_tracker_errors_total", "Error replies sent, by code.", "code", stats.errors());
    p.histogram(counters);
    p.files(stats);
    return p.out.toString();
  }

  private void files(TrackerStats stats) {
    if (stats.swarms().isEmpty()) {
      return;
    }
    int n = Math.min(MAX_FILE_SERIES, stats.swarms().size());
    help("swarmshare_tracker_file_peers", "gauge", "Peer entries of one of the busiest files.");
    for (int i = 0; i < n; i++) {
      fileSample("swarmshare_tracker_file_peers", stats.swarms().get(i), stats.swarms().get(i).peers());
    }
    help("swarmshare_tracker_file_seeders", "gauge", "Peer entries holding every chunk of one of the busiest files.");
    for (int i = 0; i < n; i++) {
      fileSample("swarmshare_tracker_file_seeders", stats.swarms().get(i), stats.swarms().get(i).seeders());
    }
    help("swarmshare_tracker_file_completed_downloads_total", "counter",
        "Downloads of one of the busiest files seen to finish since the tracker learnt of it.");
    for (int i = 0; i < n; i++) {
      fileSample("swarmshare_tracker_file_completed_downloads_total", stats.swarms().get(i),
          stats.swarms().get(i).completed());
    }
  }

  private void fileSample(String name, SwarmStats s, long value) {
    if (value < 0) {
      return;
    }
    out.append(name).append("{file=\"").append(s.id().hex()).append("\",name=\"")
        .append(escapeLabel(s.names().isEmpty() ? "" : s.names().getFirst())).append("\"} ").append(value).append('\n');
  }

  private void histogram(TrackerCounters counters) {
    String name = "swarmshare_tracker_request_duration_seconds";
    help(name, "histogram", "Time to answer a request, from its header read to its reply written.");
    long[] buckets = counters.latencyBuckets();
    long cumulative = 0;
    for (int i = 0; i < TrackerCounters.LATENCY_BOUNDS.length; i++) {
      cumulative += buckets[i];
      sample(name + "_bucket", "le", number(TrackerCounters.LATENCY_BOUNDS[i]), cumulative);
    }
    cumulative += buckets[buckets.length - 1];
    sample(name + "_bucket", "le", "+Inf", cumulative);
    out.append(name).append("_sum ").append(number(counters.latencyNanos() / 1e9)).append('\n');
    out.append(name).append("_count ").append(cumulative).append('\n');
  }

  private void gauge(String name, String help, long value) {
    if (value >= 0) {
      help(name, "gauge", help);
      out.append(name).append(' ').append(value).append('\n');
    }
  }

  private void counter(String name, String help, long value) {
    if (value >= 0) {
      help(name, "counter", help);
      out.append(name).append(' ').append(value).append('\n');
    }
  }

  private void labelled(String name, String help, String label, Map<String, Long> values) {
    help(name, "counter", help);
    values.forEach((k, v) -> sample(name, label, k, v));
  }

  private void help(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String label, String value, long sample) {
    if (sample < 0) {
      return;
    }
    out.append(name).append('{').append(label).append("=\"").append(escapeLabel(value)).append("\"} ")
        .append(sample).append('\n');
  }

  /** A label value as the format wants it: backslash, double quote and line feed escaped. */
  static String escapeLabel(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A help text as the format wants it: backslash and line feed escaped. */
  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
