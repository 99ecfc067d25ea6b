package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.TestFiles;
import io.swarmshare.testkit.TestManifests;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
  private RunningTracker tracker;
  private Manifest report;
  private Manifest photos;

  @BeforeEach
  void start() throws Exception {
    tracker = SwarmShare.tracker().bind("127.0.0.1").port(0).start();
    report = TestManifests.random(1, 3);
    photos = TestManifests.random(2, 1);
    tracker.register(report, "Quarterly Report.pdf");
    tracker.register(photos, "photos.zip");
    for (int p = 0; p < 2; p++) {
      PeerId peer = new PeerId("p" + p);
      tracker.announce(new Announcement(report.id(), peer, new PeerAddress("127.0.0.1", 7000 + p), Bitfield.full(3)));
    }
  }

  @AfterEach
  void stop() {
    tracker.close();
  }

  String at() {
    return tracker.address().toString();
  }

  @Test
  void listsIdSizePeersAndNameOfEveryMatch() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "REPORT", "--tracker", at());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("ID"), r.out());
    assertTrue(lines.get(1).startsWith(report.id().hex()), r.out());
    assertTrue(lines.get(1).contains(Sizes.format(report.size())), r.out());
    assertTrue(lines.get(1).matches(".*\\s2\\s+Quarterly Report\\.pdf$"), r.out());
  }

  @Test
  void jsonIsOneObjectPerResultLine() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "--json", "--tracker", at());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), "an empty TEXT matches every file: " + r.out());
    assertEquals("{\"id\":\"" + photos.id() + "\",\"name\":\"photos.zip\",\"size\":" + photos.size() + ",\"peers\":0}",
        lines.get(0), "results are sorted by name");
    assertTrue(lines.get(1).contains("\"peers\":2"), lines.get(1));
  }

  @Test
  void noMatchIsSuccessWithNothingOnStdout() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "nothing-like-it", "--tracker", at());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains("no files"), r.err());
  }

  @Test
  void anUnreachableTrackerIsOneLineAndExitCode1() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "x", "--tracker", "127.0.0.1:" + port);
    assertEquals(1, r.code());
    assertEquals("swarmshare: tracker 127.0.0.1:" + port
        + " is not reachable (connection refused); is it running?\n", r.err().replace("\r", ""));
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(r.err().contains("at java."), r.err());
    assertEquals("", r.out());
  }

  /**
   * Issue 15, attack 6: someone on another machine (127.0.0.2) shares a file under a name with a
   * right-to-left override and a zero-width space. The table shows both as escapes, never raw;
   * JSON carries the exact name.
   */
  @Test
  void spoofingCharactersInANameAreShownEscaped(@TempDir Path tmp) throws Exception {
    String spoof = "invoice\u202Efdp.exe\u200B";
    Path file = TestFiles.random(tmp, "invoice.bin", 5000, 7);
    try (SwarmClient attacker = SwarmShare.client().tracker(tracker.address()).bind("127.0.0.2").port(0).start()) {
      attacker.share(file, spoof, n -> { });

      ManifestCommandTest.Run r = ManifestCommandTest.run("search", "invoice", "--tracker", at());
      assertEquals(0, r.code(), r.err());
      List<String> lines = r.out().lines().toList();
      assertEquals(2, lines.size(), r.out());
      assertTrue(lines.get(1).endsWith("  invoice\\u202Efdp.exe\\u200B"), lines.get(1));
      assertFalse(r.out().contains("\u202E") || r.out().contains("\u200B"), "no raw bidi or invisible character");

      ManifestCommandTest.Run json = ManifestCommandTest.run("search", "invoice", "--json", "--tracker", at());
      assertEquals(0, json.code(), json.err());
      assertTrue(json.out().contains("\"name\":\"invoice\\u202Efdp.exe\\u200B\""), json.out());
      assertFalse(json.out().contains("\u202E"), "escaped the JSON way, which decodes to the exact name");
    }
  }

  @Test
  void aMalformedTrackerAddressIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "x", "--tracker", "host:notaport");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--tracker"), r.err());
  }
}
