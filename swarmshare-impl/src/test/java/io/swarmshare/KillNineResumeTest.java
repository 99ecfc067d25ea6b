package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmshare.api.SharedFile;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.client.Client;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.DownloadProcess;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.PacedTransport;
import io.swarmshare.testkit.TestFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real downloading JVMs killed with SIGKILL ({@link Process#destroyForcibly()} on Linux) while
 * a rate-limited seeder in this JVM serves them.
 */
class KillNineResumeTest {
  private static final int CHUNK = 256 * 1024;
  private static final int FILE_SIZE = 48 * 1024 * 1024;
  /** Slow enough that every kill lands part way, fast enough that the test stays short. */
  private static final long SEED_RATE = 8L * 1024 * 1024;
  private static final int MID_TRANSFER_KILLS = 20;
  private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /** One downloading child: its process and what it has printed so far. */
  private static final class Child {
    final Process process;
    volatile boolean ready;
    volatile int resumed = -1;
    volatile int verified;
    volatile String last = "";
    volatile boolean done;

    Child(Process process) {
      this.process = process;
      Thread.ofVirtual().start(this::read);
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          last = line;
          String[] f = line.split(" ");
          switch (f[0]) {
            case "ready" -> {
              resumed = Integer.parseInt(f[1]);
              verified = resumed;
              ready = true;
            }
            case "verified" -> verified = Math.max(verified, Integer.parseInt(f[1]));
            case "done" -> done = true;
            default -> { }
          }
        }
      } catch (IOException ignored) {
        // the process was killed
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        fail("a child killed with SIGKILL did not exit in 30 s");
      }
    }
  }

  private static String log(File f) {
    try {
      List<String> lines = Files.readAllLines(f.toPath());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Test
  @Timeout(240)
  void aDownloadKilledWithKillNineAtRandomMomentsResumesEveryTimeAndEndsWithTheRightFile() throws Exception {
    long seed = Long.getLong("swarmshare.killtest.seed", System.nanoTime());
    Random random = new Random(seed);
    Path file = TestFiles.random(tmp.resolve("seed"), "big.bin", FILE_SIZE, 21);
    Path out = tmp.resolve("out");
    File childLog = tmp.resolve("children.log").toFile();
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Client seeder = (Client) swarm.track(swarm.clientBuilder("seeder").chunkSize(CHUNK)
          .transport(new PacedTransport(new TcpTransport(), SEED_RATE)).start());
      SharedFile shared = seeder.share(file);
      int chunks = shared.manifest().chunkCount();
      String[] args = {"127.0.0.1:" + swarm.trackerAddress().port(), shared.id().hex(), out.toString()};
      // Caps each run's progress so that all kills land before the end on a fast machine too.
      int perRunCap = Math.max(1, chunks / 2 / MID_TRANSFER_KILLS);
      List<String> runs = new ArrayList<>();
      int midTransferKills = 0;
      int earlyKills = 0;
      int previousVerified = 0;
      int run = 0;
      while (midTransferKills < MID_TRANSFER_KILLS) {
        run++;
        String context = "run " + run + " (seed " + seed + "): ";
        Child child = new Child(DownloadProcess.start(childLog, args));
        // Every fourth run dies at any instant of its start: JVM boot, re-hashing, the first record.
        if (run % 4 == 0) {
          long delay = random.nextInt(800);
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
          Await.until(() -> System.nanoTime() - deadline >= 0 || child.ready && child.verified - child.resumed >= perRunCap
              || !child.process.isAlive(), STEP_DEADLINE, () -> context + "waiting to kill");
          assertFalse(child.done, context + "finished before the kill");
          assertTrue(child.process.isAlive(), () -> context + "child died by itself: '" + child.last + "'\n" + log(childLog));
          child.kill();
          earlyKills++;
          runs.add("early kill after " + delay + " ms" + (child.ready ? ", resumed " + child.resumed : ""));
          if (child.ready) {
            assertTrue(child.resumed >= previousVerified, context + "resumed " + child.resumed
                + " chunks, but " + previousVerified + " were verified before the last kill");
            previousVerified = Math.max(previousVerified, child.verified);
          }
          continue;
        }
        Await.until(() -> child.ready || !child.process.isAlive(), STEP_DEADLINE,
            () -> context + "child never opened its store; last line '" + child.last + "'\n" + log(childLog));
        assertTrue(child.ready, () -> context + "child exited with " + child.process.exitValue() + ": '" + child.last
            + "'\n" + log(childLog));
        assertTrue(child.resumed >= previousVerified, context + "resumed " + child.resumed + " chunks, but "
            + previousVerified + " were verified and written before the last kill");
        int start = child.resumed;
        long readyAt = System.nanoTime();
        // Chunks must be flowing for the kill to land mid-transfer.
        Await.until(() -> child.verified > start || child.done || !child.process.isAlive(), STEP_DEADLINE,
            () -> context + "no chunk arrived; last line '" + child.last + "'\n" + log(childLog));
        long firstChunkMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
        long delay = random.nextInt(250);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        Await.until(() -> System.nanoTime() - deadline >= 0 || child.verified - start >= perRunCap || child.done,
            STEP_DEADLINE, () -> context + "waiting to kill");
        assertFalse(child.done, context + "the download finished before it could be killed; make the seeder slower");
        assertTrue(child.process.isAlive(), () -> context + "child died by itself: '" + child.last + "'\n" + log(childLog));
        child.kill();
        midTransferKills++;
        previousVerified = child.verified;
        runs.add(String.format(Locale.ROOT, "first chunk after %d ms, killed %d ms later: resumed %d, verified %d of %d",
            firstChunkMillis, delay, start, child.verified, chunks));
      }
      long servedBeforeLastRun = seeder.bytesUploaded();
      Child last = new Child(DownloadProcess.start(childLog, args));
      Await.until(() -> !last.process.isAlive(), Duration.ofSeconds(120),
          () -> "the last run did not finish; last line '" + last.last + "'\n" + log(childLog));
      assertEquals(0, last.process.exitValue(), "last run: '" + last.last + "'\n" + log(childLog));
      assertTrue(last.done && last.resumed >= previousVerified, "last run resumed " + last.resumed + ", expected at least "
          + previousVerified);

      assertEquals(TestFiles.sha256(file), TestFiles.sha256(out.resolve("big.bin")), "the file after "
          + (midTransferKills + earlyKills) + " kills");
      assertEquals(shared.manifest().sha256(), TestFiles.sha256(out.resolve("big.bin")));
      try (var left = Files.list(out)) {
        assertEquals(List.of("big.bin"), left.map(p -> p.getFileName().toString()).toList(),
            "no .part, record, marks or lock left behind");
      }
      double ratio = (double) seeder.bytesUploaded() / FILE_SIZE;
      String summary = String.format(Locale.ROOT, "%d kills (%d mid-transfer, %d early), seeder served %.1f MiB for a"
          + " %d MiB file: %.3fx (%.1f MiB before the last run); seed %d%n  %s", midTransferKills + earlyKills,
          midTransferKills, earlyKills, seeder.bytesUploaded() / 1048576.0, FILE_SIZE >> 20, ratio,
          servedBeforeLastRun / 1048576.0, seed, String.join("\n  ", runs));
      System.out.println("KillNineResumeTest: " + summary);
      assertTrue(ratio < 1.5, "bytes fetched over all runs must stay below 1.5x the file: " + summary);
    }
  }

  /**
   * One download holds the directory in this JVM; a second in this JVM is refused, and after
   * that refusal (which must not drop the first one's OS lock) another process is refused too.
   */
  @Test
  @Timeout(60)
  void aSecondDownloadOfTheSameFileIntoTheSameDirectoryIsRefusedInProcessAndAcrossProcesses() throws Exception {
    Path file = TestFiles.random(tmp.resolve("seed"), "x.bin", 256 * 1024, 5);
    Path out = tmp.resolve("out");
    File childLog = tmp.resolve("child.log").toFile();
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      var seeder = swarm.client("seeder");
      SharedFile shared = seeder.share(file);
      var leech = swarm.client("leech");
      try (FileStore holder = FileStore.download(out, "x.bin", shared.manifest(), false)) {
        StorageException inProcess = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
            () -> leech.download(shared.id(), out));
        assertTrue(inProcess.getMessage().contains("x.bin is already being downloaded into " + out),
            inProcess.getMessage());

        Child other = new Child(DownloadProcess.start(childLog, "127.0.0.1:" + swarm.trackerAddress().port(),
            shared.id().hex(), out.toString()));
        Await.until(() -> !other.process.isAlive(), STEP_DEADLINE, () -> "the other process did not end");
        assertEquals(DownloadProcess.REFUSED, other.process.exitValue(), "'" + other.last + "'\n" + log(childLog));
        assertTrue(other.last.contains("by process " + ProcessHandle.current().pid()), other.last);
        assertTrue(holder.verifiedCount() == 0 && !Files.exists(out.resolve("x.bin")), "nothing was touched");
      }
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(leech.download(shared.id(), out).await().path()),
          "once the holder is gone the download runs");
    }
  }
}
