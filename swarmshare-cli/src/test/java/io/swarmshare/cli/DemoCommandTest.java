package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoCommandTest {
  @Test
  void everyLeecherReportsItsCopyVerifiedAndWhoSentIt() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("demo", "--size", "3M", "--peers", "3", "--chunk-size", "64K");

    assertEquals(0, r.code(), r.out() + r.err());
    List<String> leechers = r.out().lines().filter(l -> l.strip().startsWith("leecher-")).toList();
    assertEquals(3, leechers.size(), r.out());
    for (String line : leechers) {
      assertTrue(line.contains("verified (SHA-256 matches)"), line);
      assertTrue(line.matches(".*from (seeder|leecher-\\d) \\d.*"), "names the peers it got bytes from: " + line);
    }
    assertTrue(r.out().contains("All 3 leechers finished in "), r.out());
    assertTrue(r.out().contains("MiB/s across the swarm"), r.out());
    assertTrue(r.out().contains("The seeder uploaded "), r.out());
    assertTrue(r.out().strip().endsWith("Every copy verified."), r.out());
    assertTrue(r.err().contains("swarm 100.0%"), "a final progress line: " + r.err());
  }

  @Test
  void quietLeavesStderrEmpty() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("demo", "--size", "200K", "--peers", "1", "--chunk-size", "16K", "-q");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
  }

  @Test
  void verboseShowsTheLibrarysDebugLogOnStderr() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("demo", "--size", "64K", "--peers", "1", "--chunk-size", "16K", "-v");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("swarmshare: debug [")), r.err());
  }

  @Test
  void peersOutOfRangeIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("demo", "--peers", "0");
    assertEquals(2, r.code());
    assertEquals("swarmshare: --peers must be from 1 to 32\n", r.err().replace("\r", ""));
  }
}
