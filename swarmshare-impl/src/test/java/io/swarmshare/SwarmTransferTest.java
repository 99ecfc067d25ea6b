package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class SwarmTransferTest {
  @TempDir Path dir;

  @Test
  void oneSeederToOneLeecher() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "data.bin", 3 * 1024 * 1024 + 17, 1);
      SharedFile shared = swarm.client("seeder").share(file);
      SwarmClient leecher = swarm.client("leecher");
      List<DownloadEvent> events = new CopyOnWriteArrayList<>();
      Download d = leecher.download(shared.id(), dir.resolve("out"));
      d.onEvent(events::add);
      DownloadResult r = d.await(Duration.ofSeconds(30));

      assertEquals(dir.resolve("out").resolve("data.bin").toAbsolutePath(), r.path());
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertEquals(shared.manifest().chunkCount(), r.chunksDownloaded());
      assertEquals(1, r.peers());
      assertTrue(events.stream().anyMatch(e -> e instanceof DownloadEvent.ManifestVerified), events.toString());
      assertTrue(events.stream().anyMatch(e -> e instanceof DownloadEvent.Completed));
      List<DownloadEvent> late = new CopyOnWriteArrayList<>();
      d.onEvent(late::add);
      assertTrue(late.stream().anyMatch(e -> e instanceof DownloadEvent.Completed c && c.result().equals(r)),
          "a listener added after the end still hears how it ended: " + late);
      assertEquals(1, late.stream().filter(e -> e instanceof DownloadEvent.Completed).count());
      assertTrue(Files.notExists(dir.resolve("out").resolve("data.bin.part")), "the .part is gone");
      assertTrue(Files.notExists(dir.resolve("out").resolve("data.bin.resume")), "the record is gone");
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 16384, 16385})
  void edgeSizes(int size) throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "edge.bin", size, size);
      SharedFile shared = swarm.client("seeder").share(file);
      DownloadResult r = swarm.client("leecher").download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(30));
      assertEquals(size, Files.size(r.path()));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
    }
  }

  @Test
  void threeSeedersToOneLeecherUsesAllThree() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "three.bin", 8 * 1024 * 1024, 3);
      SharedFile shared = null;
      for (int i = 1; i <= 3; i++) {
        // Each seeder is capped, so no single one can finish the file before the others join in.
        SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder-" + i).maxUploadRate(2 * 1024 * 1024).start());
        shared = seeder.share(file);
      }
      DownloadResult r = swarm.client("leecher").download(shared.id(), dir.resolve("out")).await(Duration.ofSeconds(40));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertEquals(3, r.peers(), "chunks came from " + r.bytesFromPeer());
    }
  }

  @Test
  void oneSeederToFiveLeechersWhoAlsoServeEachOther() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(dir.resolve("seed"), "five.bin", 4 * 1024 * 1024, 5);
      // A slow seeder: leechers must trade among themselves to finish in reasonable time.
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder").maxUploadRate(3 * 1024 * 1024).start());
      SharedFile shared = seeder.share(file);
      List<Download> downloads = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        downloads.add(swarm.client("leecher-" + i).download(shared.id(), dir.resolve("out-" + i)));
      }
      long fromLeechers = 0;
      for (Download d : downloads) {
        DownloadResult r = d.await(Duration.ofSeconds(40));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
        fromLeechers += r.bytesFromPeer().entrySet().stream()
            .filter(e -> !e.getKey().equals(new PeerId("seeder"))).mapToLong(e -> e.getValue()).sum();
      }
      assertTrue(fromLeechers > 0, "leechers served each other");
    }
  }
}
