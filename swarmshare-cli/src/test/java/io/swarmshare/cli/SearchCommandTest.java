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
import io.swarmshare.testkit.TestManifests;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  @Test
  void aMalformedTrackerAddressIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("search", "x", "--tracker", "host:notaport");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--tracker"), r.err());
  }
}
