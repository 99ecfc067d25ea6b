package io.swarmshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every example runs the way examples/README.md says, in its own JVM, and does what it claims. */
@Timeout(120)
class ExamplesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void shareAndFetchPrintsTheVerifiedId() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "ShareAndFetch")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      Matcher shared = Pattern.compile("shared +artifact\\.bin as ([0-9a-f]{64})").matcher(p.output());
      assertTrue(shared.find(), p.output());
      assertTrue(p.output().contains("verified " + shared.group(1)), p.output());
    }
  }

  @Test
  void shareTreeFetchesAModelDirectoryAndThenOnlyTheChangedShard() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "ShareTree")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      Matcher shared = Pattern.compile("shared +model/ \\(5 files, \\d+ bytes\\) as ([0-9a-f]{64})").matcher(p.output());
      assertTrue(shared.find(), p.output());
      assertTrue(p.output().contains("verified " + shared.group(1)), p.output());
      assertTrue(p.output().contains("4 chunks downloaded, 8388674 bytes reused"), p.output());
    }
  }

  @Test
  void embedTrackerServesPeersAndStopsOnCtrlC() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "EmbedTracker", "0")) {
      String listening = p.awaitLine(l -> l.startsWith("tracker listening on port "), WAIT);
      int port = Integer.parseInt(listening.replaceAll("tracker listening on port (\\d+);.*", "$1"));
      Path file = TestFiles.random(dir, "a.bin", 10_000, 1);
      try (SwarmClient peer = SwarmShare.client().tracker("127.0.0.1:" + port).bind("127.0.0.1").start()) {
        peer.share(file);
        p.awaitLine(l -> l.equals("tracker: 1 file(s), 1 peer(s) holding them"), WAIT);
      }
      int code = p.interrupt(WAIT);
      assertTrue(p.output().endsWith("tracker stopped"), "exit code " + code + ", output:\n" + p.output());
    }
  }

  @Test
  void embedTrackerStopsAfterTheSecondsGiven() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "EmbedTracker", "0", "1")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      assertTrue(p.output().endsWith("tracker stopped"), p.output());
    }
  }

  @Test
  void aDirectorySharedOnOneNodeIsFetchedOnAnother() throws Exception {
    Path build = Files.createDirectories(dir.resolve("build"));
    Path jar = TestFiles.random(build, "app.jar", 900_000, 2);
    Path docs = TestFiles.random(build, "docs.zip", 120_000, 3);
    try (ExampleProcess sharer = ExampleProcess.start(dir, "ShareDirectory", build.toString(), "0")) {
      String hint = sharer.awaitLine(l -> l.contains("bin/example FetchArtifacts "), WAIT);
      String tracker = hint.strip().split(" ")[2];
      assertTrue(sharer.output().contains("shared app.jar"), sharer.output());

      try (ExampleProcess fetcher = ExampleProcess.start(dir, "FetchArtifacts", tracker, "fetched")) {
        assertEquals(0, fetcher.awaitExit(WAIT), fetcher.output());
        assertTrue(fetcher.output().matches("(?s).*fetched app\\.jar +900000 bytes  verified .*"), fetcher.output());
      }
      assertEquals(TestFiles.sha256(jar), TestFiles.sha256(dir.resolve("fetched").resolve("app.jar")));
      assertEquals(TestFiles.sha256(docs), TestFiles.sha256(dir.resolve("fetched").resolve("docs.zip")));

      try (ExampleProcess none = ExampleProcess.start(dir, "FetchArtifacts", tracker, "fetched", "no-such-name")) {
        assertEquals(1, none.awaitExit(WAIT), none.output());
        assertEquals("nothing on the tracker matches 'no-such-name'", none.output());
      }
      sharer.interrupt(WAIT);
    }
  }

  @Test
  void watchDownloadPrintsEachEventToCompletion() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "WatchDownload")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      String out = p.output();
      assertTrue(out.startsWith("manifest verified: 8388608 bytes in 32 chunks"), out);
      assertTrue(out.contains("connected to    seeder-"), out);
      assertTrue(out.matches("(?s).*chunk \\d+ verified, from seeder-\\d.*"), out);
      assertTrue(out.matches("(?s).*\ncompleted: .*dataset\\.bin in \\d+ ms, verified; bytes from seeder-.*"), out);
    }
  }

  @Test
  void aFleetFetchesFromEachOtherAndTheSeederSendsFarLessThanACopyPerNode() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "Fleet", "4", "8", "8")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      String out = p.output();
      for (int i = 1; i <= 4; i++) {
        assertTrue(out.matches("(?s).*\nnode-" + i + " +[0-9.]+ s  verified  from .*"), out);
      }
      Matcher sent = Pattern.compile("4 nodes verified 8 MiB each in [0-9.]+ s\\. The seeder sent [0-9.]+ MiB, ([0-9.]+) copies")
          .matcher(out);
      assertTrue(sent.find(), out);
      double copies = Double.parseDouble(sent.group(1));
      // Without a swarm the seeder would send 4 copies; with one, about one (every chunk at least once).
      assertTrue(copies >= 1.0 && copies < 2.5, "the seeder sent " + copies + " copies:\n" + out);
    }
  }

  @Test
  void customStoreDownloadsIntoMemoryAndVerifies() throws Exception {
    try (ExampleProcess p = ExampleProcess.start(dir, "CustomStore", "4")) {
      assertEquals(0, p.awaitExit(WAIT), p.output());
      Matcher shared = Pattern.compile("shared +model\\.bin as ([0-9a-f]{64})").matcher(p.output());
      assertTrue(shared.find(), p.output());
      assertTrue(p.output().contains("fetched  4194304 bytes into memory"), p.output());
      assertTrue(p.output().contains("verified " + shared.group(1)), p.output());
    }
  }
}
