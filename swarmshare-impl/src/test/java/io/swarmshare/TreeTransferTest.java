package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileEntry;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.TreeDownloadResult;
import io.swarmshare.api.TreeOptions;
import io.swarmshare.api.TreeProgress;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(90)
class TreeTransferTest {
  @TempDir Path dir;

  /** A model-like tree: nested shards, one empty file, two files of equal content, an empty directory. */
  static Path modelTree(Path root, int shardSize) throws IOException {
    TestFiles.random(root.resolve("shards"), "shard-1.bin", shardSize, 1);
    TestFiles.random(root.resolve("shards"), "shard-2.bin", shardSize, 2);
    TestFiles.random(root.resolve("shards/extra"), "shard-3.bin", shardSize, 3);
    Files.writeString(root.resolve("config.json"), "{\"layers\": 4}\n");
    Files.copy(root.resolve("config.json"), root.resolve("shards/config-copy.json"));
    Files.createFile(root.resolve("EMPTY"));
    Files.createDirectories(root.resolve("logs/none"));
    return root;
  }

  @Test
  void fetchesATreeAndRecreatesItExactly() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path model = modelTree(dir.resolve("src/model"), 100_000);
      SharedTree shared = swarm.client("seeder").shareTree(model);
      assertEquals("model", shared.name());
      assertEquals(6, shared.files());
      SwarmClient getter = swarm.client("getter");
      List<TreeProgress> progress = new CopyOnWriteArrayList<>();
      TreeDownloadResult r = getter.downloadTree("model", dir.resolve("out"),
          TreeOptions.DEFAULTS.withProgress(progress::add));

      assertEquals(shared.id(), r.id());
      assertEquals(dir.resolve("out/model").toAbsolutePath(), r.path());
      assertSameTree(model, r.path());
      assertEquals(6, r.files());
      assertTrue(r.bytesReused() > 0, "the copy of config.json is copied, not fetched: " + r);
      TreeProgress last = progress.get(progress.size() - 1);
      assertEquals(new TreeProgress(shared.size(), shared.size(), 6, 6), last);

      TreeDownloadResult byId = swarm.client("second").downloadTree(shared.id().hex(), dir.resolve("out2"),
          TreeOptions.DEFAULTS);
      assertSameTree(model, byId.path());
    }
  }

  /** A restarted tracker learns the tree again from the sharer's heartbeat, by name and by id. */
  @Test
  void aTreeStaysReachableByNameAndIdAfterTheTrackerRestarts() throws Exception {
    RunningTracker first = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
    int port = first.address().port();
    PeerAddress trackerAddress = first.address();
    Path model = modelTree(dir.resolve("src/model"), 50_000);
    try (SwarmClient seeder = SwarmShare.client().tracker(trackerAddress).bind("127.0.0.1")
        .announceInterval(Duration.ofMillis(200)).start()) {
      SharedTree shared = seeder.shareTree(model);
      first.close();
      try (RunningTracker second = SwarmShare.tracker().port(port).bind("127.0.0.1").start();
           SwarmClient getter = SwarmShare.client().tracker(second).bind("127.0.0.1").start()) {
        Await.until(() -> knowsTree(second, shared.id().hex()) && knowsTree(second, "model"), Duration.ofSeconds(30),
            () -> "the restarted tracker knows the tree by id and by name again");
        TreeDownloadResult byId = getter.downloadTree(shared.id().hex(), dir.resolve("out"), TreeOptions.DEFAULTS);
        assertSameTree(model, byId.path());
      }
    } finally {
      first.close();
    }
  }

  private static boolean knowsTree(RunningTracker tracker, String text) {
    try {
      return tracker.search(text, 10).stream().anyMatch(FileEntry::isTree);
    } catch (SwarmException e) {
      return false;
    }
  }

  @Test
  void reusesFilesOfAnEarlierVersion() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path v1 = modelTree(dir.resolve("src/v1"), 64 * 1024);
      Path v2 = modelTree(dir.resolve("src/v2"), 64 * 1024);
      TestFiles.random(v2.resolve("shards"), "shard-2.bin", 64 * 1024, 99); // one shard changed: 4 chunks
      SwarmClient seeder = swarm.client("seeder");
      seeder.shareTree(v1);
      seeder.shareTree(v2);
      SwarmClient getter = swarm.client("getter");
      TreeDownloadResult first = getter.downloadTree("v1", dir.resolve("out"), TreeOptions.DEFAULTS);
      TreeDownloadResult second = getter.downloadTree("v2", dir.resolve("out2"),
          TreeOptions.DEFAULTS.withReuse(first.path()));

      assertSameTree(v2, second.path());
      assertEquals(4, second.chunksDownloaded(), "only the changed shard moves: " + second);
      assertTrue(second.bytesReused() >= 2 * 64 * 1024, second.toString());
      TreeDownloadResult again = getter.downloadTree("v2", dir.resolve("out2"), TreeOptions.DEFAULTS);
      assertEquals(0, again.chunksDownloaded(), "files already in place count as done: " + again);
    }
  }

  @Test
  void neverFollowsALinkPlantedInTheOutputDirectory() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path model = modelTree(dir.resolve("src/model"), 20_000);
      swarm.client("seeder").shareTree(model);
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      Path out = Files.createDirectories(dir.resolve("out/model"));
      Files.createSymbolicLink(out.resolve("shards"), elsewhere);
      var e = assertThrows(io.swarmshare.api.StorageException.class,
          () -> swarm.client("getter").downloadTree("model", dir.resolve("out"), TreeOptions.DEFAULTS));
      assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
      try (Stream<Path> s = Files.list(elsewhere)) {
        assertEquals(List.of(), s.toList(), "nothing written through the link");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "/etc/passwd", "CON", "a/../../x", "x\u0007y", "dir\\..\\x"})
  void refusesAHostileListingAsAWhole(String badPath) throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      assertRefused(swarm, List.of("f 5 " + fileIdOf(swarm, "hello") + " ok.txt", "f 5 " + fileIdOf(swarm, "hello")
          + " " + badPath));
    }
  }

  @Test
  void refusesTwoPathsThatDifferOnlyInCase() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      String id = fileIdOf(swarm, "hello");
      assertRefused(swarm, List.of("f 5 " + id + " README", "f 5 " + id + " readme"));
    }
  }

  /** The file id of a 5-byte file holding {@code text}, shared so it exists at the tracker. */
  private String fileIdOf(LoopbackSwarm swarm, String text) throws Exception {
    Path f = dir.resolve("plain/" + text);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return swarm.client("plain-" + text + System.nanoTime()).share(f).id().hex();
  }

  /** A sharer that bypasses our tree code: the listing's bytes written by hand, shared as the listing file. */
  private void assertRefused(LoopbackSwarm swarm, List<String> lines) throws Exception {
    StringBuilder b = new StringBuilder("swarmshare-tree-v1\n" + lines.size() + "\n");
    lines.stream().sorted((x, y) -> java.util.Arrays.compareUnsigned(x.substring(x.lastIndexOf(' ') + 1)
        .getBytes(StandardCharsets.UTF_8), y.substring(y.lastIndexOf(' ') + 1).getBytes(StandardCharsets.UTF_8)))
        .forEach(l -> b.append(l).append('\n'));
    Path listing = dir.resolve("hostile.listing");
    Files.writeString(listing, b.toString());
    swarm.client("attacker").share(listing, "evil/");
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    var e = assertThrows(MalformedManifestException.class,
        () -> swarm.client("victim").downloadTree("evil", out, TreeOptions.DEFAULTS));
    assertTrue(e.getMessage().startsWith("refusing tree 'evil'"), e.getMessage());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.toList(), "nothing is written");
    }
    assertFalse(Files.exists(dir.resolve("x")));
  }

  static void assertSameTree(Path expected, Path actual) throws IOException {
    assertEquals(listing(expected), listing(actual));
    for (String p : listing(expected)) {
      Path e = expected.resolve(p);
      if (Files.isRegularFile(e)) {
        assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(actual.resolve(p)), p);
      }
    }
  }

  private static List<String> listing(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
    }
    out.sort(null);
    return out;
  }
}
