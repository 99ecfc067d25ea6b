package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.ForwardingTracker;
import io.swarmshare.testkit.RawHttp;
import io.swarmshare.testkit.TestFiles;
import io.swarmshare.testkit.TestManifests;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker's HTTP window: metrics, status page and JSON, health, and what it does with odd requests. */
class TrackerStatusHttpTest {
  @TempDir Path dir;

  private static RunningTracker startTracker(Tracker store) throws SwarmException {
    return SwarmShare.tracker().port(0).bind("127.0.0.1").http(0).store(store).start();
  }

  private static InetSocketAddress http(RunningTracker tracker) {
    return tracker.httpAddress().orElseThrow();
  }

  private static long metric(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), series + " is missing from:\n" + metrics);
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void metricsPageAndStatsShowAFileSharedByOnePeerAndFetchedByAnother() throws Exception {
    Path file = TestFiles.random(dir.resolve("share"), "fleet-model.bin", 3 * 1024 * 1024 + 17, 19);
    try (RunningTracker tracker = startTracker(null);
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start();
        SwarmClient leecher = SwarmShare.client().tracker(tracker.address().toString()).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      leecher.download(shared.id(), dir.resolve("out")).await();
      Await.until(() -> tracker.stats().completed() == 1 && tracker.stats().seeders() == 2, Duration.ofSeconds(10),
          () -> "the leecher announced its finished download: " + tracker.stats());

      TrackerStats stats = tracker.stats();
      assertEquals(1, stats.swarms().size(), stats.toString());
      assertEquals(List.of("fleet-model.bin"), stats.swarms().getFirst().names());
      assertEquals(1, stats.swarms().getFirst().completed());
      assertEquals(0, stats.leechers());
      assertEquals(file.toFile().length(), stats.bytesDownloaded(), "the leecher reported every byte it fetched");

      RawHttp.Response metrics = RawHttp.request(http(tracker), "GET", "/metrics");
      assertEquals(200, metrics.status());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().get("content-type"));
      String text = metrics.body();
      assertEquals(2, metric(text, "swarmshare_tracker_peers"));
      assertEquals(2, metric(text, "swarmshare_tracker_seeders"));
      assertEquals(0, metric(text, "swarmshare_tracker_leechers"));
      assertEquals(1, metric(text, "swarmshare_tracker_files"));
      assertEquals(1, metric(text, "swarmshare_tracker_completed_downloads_total"));
      assertEquals(file.toFile().length(), metric(text, "swarmshare_tracker_reported_bytes_total{direction=\"download\"}"));
      assertTrue(metric(text, "swarmshare_tracker_requests_total{type=\"announce\"}") >= 3, text);
      assertEquals(metric(text, "swarmshare_tracker_request_duration_seconds_count"),
          metric(text, "swarmshare_tracker_request_duration_seconds_bucket{le=\"+Inf\"}"));
      assertEquals(1, metric(text, "swarmshare_tracker_file_completed_downloads_total{file=\"" + shared.id().hex()
          + "\",name=\"fleet-model.bin\"}"));
      assertTrue(text.contains("# TYPE swarmshare_tracker_completed_downloads_total counter\n"), text);
      assertTrue(text.contains("# TYPE swarmshare_tracker_request_duration_seconds histogram\n"), text);
      for (String line : text.split("\n")) {
        assertTrue(line.startsWith("# HELP swarmshare_tracker_") || line.startsWith("# TYPE swarmshare_tracker_")
            || line.matches("swarmshare_tracker_[a-z_]+(\\{[^}]*\\})? [0-9.e+-]+"), "not a valid exposition line: " + line);
      }

      RawHttp.Response json = RawHttp.request(http(tracker), "GET", "/status.json");
      assertEquals(200, json.status());
      assertTrue(json.body().contains("\"names\":[\"fleet-model.bin\"]"), json.body());
      assertTrue(json.body().contains("\"completed\":1"), json.body());

      RawHttp.Response page = RawHttp.request(http(tracker), "GET", "/");
      assertEquals(200, page.status());
      assertEquals("text/html; charset=utf-8", page.headers().get("content-type"));
      assertTrue(page.body().contains("fleet-model.bin"), "the page carries its data, so it shows at once");
      assertTrue(page.headers().get("content-security-policy").contains("script-src 'sha256-"),
          "only the page's own script may run: " + page.headers());
      assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page loads nothing from elsewhere");

      RawHttp.Response health = RawHttp.request(http(tracker), "GET", "/healthz");
      assertEquals(200, health.status());
      assertEquals("ok\n", health.body());
    }
  }

  @Test
  void namesAreEscapedInMetricsPageAndJson() throws Exception {
    String name = "<script>alert(\"x\")</script> \\ <img src=x onerror=alert(1)>.bin";
    try (RunningTracker tracker = startTracker(null)) {
      Manifest m = TestManifests.random(3, 2);
      tracker.register(m, name);
      tracker.announce(new Announcement(m.id(), new PeerId("p1"), new PeerAddress("127.0.0.1", 7001), Bitfield.full(2)));

      String metrics = RawHttp.request(http(tracker), "GET", "/metrics").body();
      assertTrue(metrics.contains("name=\"<script>alert(\\\"x\\\")</script> \\\\ <img src=x onerror=alert(1)>.bin\"} 1"),
          "label values escape backslash and double quote:\n" + metrics);

      for (String path : List.of("/", "/status.json")) {
        String body = RawHttp.request(http(tracker), "GET", path).body();
        assertFalse(body.contains("<script>alert"), path + " must not carry the name as markup:\n" + body);
        assertFalse(body.contains("<img src=x"), path + " must not carry the name as markup");
        assertTrue(body.contains("\\u003cscript\\u003ealert(\\\"x\\\")\\u003c/script\\u003e \\\\ \\u003cimg"),
            path + " carries the name as escaped JSON text:\n" + body);
      }
    }
  }

  @Test
  void oddRequestsGetTheirStatusAndTheServerKeepsServing() throws Exception {
    try (RunningTracker tracker = startTracker(null)) {
      InetSocketAddress h = http(tracker);
      RawHttp.Response post = RawHttp.request(h, "POST", "/metrics");
      assertEquals(405, post.status());
      assertEquals("GET, HEAD", post.headers().get("allow"));
      assertEquals(405, RawHttp.request(h, "BREW", "/").status());
      assertEquals(405, RawHttp.request(h, "DELETE", "/healthz").status());
      assertEquals(404, RawHttp.request(h, "GET", "/nope").status());
      assertEquals(404, RawHttp.request(h, "GET", "/metrics/../etc/passwd").status());
      assertEquals(404, RawHttp.request(h, "GET", "/%2e%2e/%00").status());
      assertEquals(200, RawHttp.request(h, "GET", "/metrics?x=1&y").status(), "a query is ignored");
      RawHttp.Response head = RawHttp.request(h, "HEAD", "/metrics");
      assertEquals(200, head.status());
      assertEquals("", head.body());
      RawHttp.request(h, "GET", "/" + "a".repeat(64 * 1024));
      RawHttp.raw(h, "\u0000\u0001\u0002 garbage\r\n\r\n");
      RawHttp.raw(h, "GET\r\n\r\n");
      assertEquals(200, RawHttp.raw(h, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close"
          + "\r\n\r\nhello").status(), "a body on a GET is ignored");
      try (Socket stalled = new Socket("127.0.0.1", h.getPort())) {
        stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        stalled.getOutputStream().flush();
        assertEquals(200, RawHttp.request(h, "GET", "/healthz").status(), "a stalled client holds only its own connection");
      }
      assertEquals(200, RawHttp.request(h, "GET", "/healthz").status(), "still serving after all that");
      assertEquals(0, tracker.stats().requests().values().stream().mapToLong(Long::longValue).sum(),
          "nothing sent to the HTTP port reaches the tracker");
    }
  }

  @Test
  void closingTheTrackerStopsItsHttpServer() throws Exception {
    RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
    assertEquals(Optional.empty(), tracker.httpAddress(), "no HTTP unless asked");
    tracker.close();

    RunningTracker withHttp = startTracker(null);
    InetSocketAddress h = http(withHttp);
    assertEquals("127.0.0.1", h.getAddress().getHostAddress(), "loopback unless told otherwise");
    assertEquals(200, RawHttp.request(h, "GET", "/healthz").status());
    withHttp.close();
    assertThrows(ConnectException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", h.getPort()), 2_000);
      }
    });
  }

  @Test
  void aBusyHttpPortFailsTheStartAndFreesTheTrackerPort() throws Exception {
    try (RunningTracker first = startTracker(null)) {
      int taken = http(first).getPort();
      SwarmException e = assertThrows(SwarmException.class,
          () -> SwarmShare.tracker().port(0).bind("127.0.0.1").http(taken).start());
      assertTrue(e.getMessage().contains("HTTP"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> SwarmShare.tracker().http(65536));
  }

  /** A store that is not the in-memory one, as Redis is: the page shows what search can tell. */
  @Test
  void overAnotherStoreThePageShowsWhatSearchTells() throws Exception {
    InMemoryTracker inner = new InMemoryTracker();
    Tracker other = new ForwardingTracker(inner); // not an InMemoryTracker as far as the server can tell
    try (RunningTracker tracker = startTracker(other)) {
      Manifest m = TestManifests.random(4, 2);
      tracker.register(m, "on-another-store.bin");
      tracker.announce(new Announcement(m.id(), new PeerId("p1"), new PeerAddress("127.0.0.1", 7001), Bitfield.full(2)));
      TrackerStats stats = tracker.stats();
      assertEquals(-1, stats.files());
      assertEquals(-1, stats.completed());
      assertEquals(1, stats.swarms().size());
      assertEquals(-1, stats.swarms().getFirst().seeders());
      String metrics = RawHttp.request(http(tracker), "GET", "/metrics").body();
      assertFalse(metrics.contains("swarmshare_tracker_files "), "an unknown figure is left out, not shown as -1");
      assertTrue(metrics.contains("swarmshare_tracker_connections 0"), metrics);
      assertTrue(metrics.contains("swarmshare_tracker_file_peers{file=\"" + m.id().hex()
          + "\",name=\"on-another-store.bin\"} 1"), metrics);
      assertTrue(RawHttp.request(http(tracker), "GET", "/").body().contains("on-another-store.bin"));
    }
  }
}
