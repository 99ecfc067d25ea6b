package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.SharedFile;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GetCommandTest {
  @TempDir Path dir;
  private LoopbackSwarm swarm;
  private SharedFile shared;

  @BeforeEach
  void startASeeder() throws Exception {
    swarm = new LoopbackSwarm();
    shared = swarm.client("seeder").share(TestFiles.random(dir.resolve("seeder"), "model.bin", 200_000, 5));
  }

  @AfterEach
  void stop() {
    swarm.close();
  }

  @Test
  void jsonKeepsStdoutToOneObjectWhileProgressGoesToStderr() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("get", shared.id().hex(), "--json",
        "--tracker", swarm.trackerAddress().toString(), "-o", dir.resolve("out").toString());

    assertEquals(0, r.code(), r.err());
    String json = r.out().strip();
    assertEquals(1, json.lines().count(), r.out());
    assertTrue(json.startsWith("{\"id\":\"" + shared.id().hex() + "\",\"path\":") && json.endsWith("\"verified\":true}"),
        json);
    assertTrue(r.err().startsWith("downloading 100.0% 195.3 KiB/195.3 KiB "), r.err());
    assertTrue(r.err().strip().endsWith("done, from 1 peer"), r.err());
  }

  @Test
  void textSaysWhereTheVerifiedFileIsAndQuietDropsProgress() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("get", "model.bin", "-q",
        "--tracker", swarm.trackerAddress().toString(), "-o", dir.resolve("out").toString());

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("downloaded " + dir.resolve("out").resolve("model.bin") + " (195.3 KiB) in "), r.out());
    assertTrue(r.out().strip().endsWith("from 1 peer; verified"), r.out());
    assertEquals("", r.err());
    assertFalse(r.out().contains("resumed"), r.out());
    assertEquals(TestFiles.sha256(shared.path()), TestFiles.sha256(dir.resolve("out").resolve("model.bin")));
  }
}
