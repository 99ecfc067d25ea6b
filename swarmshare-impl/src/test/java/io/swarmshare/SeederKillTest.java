package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.NoPeersException;
import io.swarmshare.api.PeerId;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.SeedProcess;
import io.swarmshare.testkit.TestFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeders in JVMs of their own, killed with SIGKILL mid-download: they neither leave the
 * tracker nor close their connections politely, as a crashed or unplugged machine would not.
 */
@Timeout(120)
class SeederKillTest {
  private static final int CHUNK = 64 * 1024;
  private static final int SIZE = 16 * 1024 * 1024;
  /** Slow enough that the kill lands mid-download. */
  private static final long RATE = 2L * 1024 * 1024;

  @TempDir Path tmp;
  private final List<Process> seeders = new ArrayList<>();

  @AfterEach
  void killSeeders() throws InterruptedException {
    for (Process p : seeders) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private FileId startSeeder(LoopbackSwarm swarm, Path file, String name) throws Exception {
    File log = tmp.resolve(name + ".log").toFile();
    Process p = SeedProcess.start(log, "127.0.0.1:" + swarm.trackerAddress().port(), file.toString(), name,
        Long.toString(RATE), Integer.toString(CHUNK));
    seeders.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // the child prints this line once it serves, or dies
    if (line == null || !line.startsWith("serving ")) {
      throw new AssertionError("seeder " + name + " did not start: " + Files.readString(log.toPath()));
    }
    return FileId.parse(line.substring("serving ".length()));
  }

  private static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL on Linux
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a seeder killed with SIGKILL did not exit");
  }

  @Test
  void aDownloadCompletesFromTheOtherSeederWhenOneIsKilled() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "two.bin", SIZE, 41);
      FileId id = startSeeder(swarm, file, "seeder-a");
      assertEquals(id, startSeeder(swarm, file, "seeder-b"));
      Download d = swarm.client("leecher").download(id, tmp.resolve("out"));
      Await.until(() -> d.progress().verifiedBytes() > SIZE / 5, Duration.ofSeconds(60), () -> "a fifth arrives");
      kill9(seeders.getFirst());
      DownloadResult r = d.await(Duration.ofSeconds(60));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertTrue(r.bytesFromPeer().getOrDefault(new PeerId("seeder-b"), 0L) > 0, r.bytesFromPeer().toString());
    }
  }

  @Test
  void aDownloadWhoseOnlySeederIsKilledFailsWithinTheNoPeersTimeout() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "one.bin", SIZE, 43);
      FileId id = startSeeder(swarm, file, "seeder-only");
      // The tracker keeps the dead seeder listed for its TTL (60 s by default): the download
      // must give up on the address itself.
      Duration noPeers = Duration.ofSeconds(4);
      Download d = swarm.track(swarm.clientBuilder("leecher").noPeersTimeout(noPeers).start())
          .download(id, tmp.resolve("out"));
      Await.until(() -> d.progress().verifiedBytes() > SIZE / 5, Duration.ofSeconds(60), () -> "a fifth arrives");
      long killed = System.nanoTime();
      kill9(seeders.getFirst());
      NoPeersException e = assertThrows(NoPeersException.class, () -> d.await(Duration.ofSeconds(60)));
      long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
      assertTrue(took < noPeers.toSeconds() + 10, "failed " + took + " s after the kill, with --no-peers-timeout "
          + noPeers.toSeconds() + " s");
      assertTrue(e.getMessage().contains("could be reached"), e.getMessage());
      assertTrue(Files.exists(tmp.resolve("out").resolve("one.bin.resume")), "verified chunks are kept for a resume");
    }
  }
}
