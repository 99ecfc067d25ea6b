package io.swarmshare.internal.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.api.TrackerStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page's data, {@code /status.json}: the tracker's figures, its recent throughput,
 * and the busiest files with theirs. Unknown figures are -1; the page shows them as a dash. The
 * JSON escapes {@code <}, {@code >}, {@code &} and every non-ASCII character as JSON's
 * backslash-u escapes, so the page can embed it in a script element whatever a file's name holds.
 */
final class StatusJson {
  /** Files listed; the page says how many more there are. */
  static final int MAX_FILES = SwarmHistory.MAX_FILES;

  private static final JsonFactory JSON = new JsonFactory();

  private StatusJson() {}

  static String of(TrackerStats stats, SwarmHistory history, String version, long nowMillis) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
      g.writeStartObject();
      g.writeStringField("version", version);
      g.writeNumberField("time", nowMillis);
      g.writeNumberField("stepSeconds", SwarmHistory.STEP_SECONDS);
      g.writeNumberField("points", SwarmHistory.POINTS);
      g.writeNumberField("connections", stats.connections());
      g.writeNumberField("files", stats.files());
      g.writeNumberField("peers", stats.peers());
      g.writeNumberField("seeders", stats.seeders());
      g.writeNumberField("leechers", stats.leechers());
      g.writeNumberField("completed", stats.completed());
      g.writeNumberField("bytesUploaded", stats.bytesUploaded());
      g.writeNumberField("bytesDownloaded", stats.bytesDownloaded());
      g.writeNumberField("announces", stats.requests().getOrDefault("announce", 0L));
      g.writeNumberField("errors", stats.errors().values().stream().mapToLong(Long::longValue).sum());
      numbers(g, "throughput", history.total());
      g.writeArrayFieldStart("swarms");
      int n = Math.min(MAX_FILES, stats.swarms().size());
      for (int i = 0; i < n; i++) {
        SwarmStats s = stats.swarms().get(i);
        g.writeStartObject();
        g.writeStringField("id", s.id().hex());
        g.writeArrayFieldStart("names");
        for (String name : s.names()) {
          g.writeString(name);
        }
        g.writeEndArray();
        g.writeNumberField("size", s.size());
        g.writeNumberField("peers", s.peers());
        g.writeNumberField("seeders", s.seeders());
        g.writeNumberField("leechers", s.leechers());
        g.writeNumberField("completed", s.completed());
        g.writeNumberField("bytesUploaded", s.bytesUploaded());
        g.writeNumberField("bytesDownloaded", s.bytesDownloaded());
        numbers(g, "throughput", history.of(s.id()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("more", stats.swarms().size() - n);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toString(StandardCharsets.US_ASCII).replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("&", "\\u0026");
  }

  private static void numbers(JsonGenerator g, String name, long[] values) throws IOException {
    g.writeArrayFieldStart(name);
    for (long v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }
}
