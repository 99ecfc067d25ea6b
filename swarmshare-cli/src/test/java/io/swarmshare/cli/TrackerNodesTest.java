package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.ChildJvm;
import io.swarmshare.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code swarmshare tracker --store redis://...} nodes on one real {@code redis-server}
 * are one tracker: what one node learns another answers, a client given every node survives the
 * death (kill -9) of the one it uses, and a node started after all others stopped still knows
 * the swarm.
 */
class TrackerNodesTest {
  private static final Pattern LISTENING = Pattern.compile("tracker listening on [0-9.]+:(\\d+)");

  @TempDir Path dir;
  private final List<Process> nodes = new ArrayList<>();
  private RedisServer redis;

  @AfterEach
  void stop() throws Exception {
    for (Process p : nodes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Starts a tracker node in a JVM of its own, so it can be killed, and returns its port. */
  private int node(String name) throws IOException {
    File log = dir.resolve(name + ".log").toFile();
    Process p = ChildJvm.start(log, ChildJvm.command(List.of("-Xmx256m"), Main.class, "tracker", "--port", "0",
        "--bind", "127.0.0.1", "--store", redis.uri()));
    nodes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IOException("tracker node " + name + " exited before listening: " + Files.readString(log.toPath()));
  }

  @Test
  void nodesOnOneRedisAreOneTracker() throws Exception {
    redis = RedisServer.start();
    int a = node("a");
    int b = node("b");
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(16).nextBytes(data);
    Path shared = Files.write(Files.createDirectories(dir.resolve("shared")).resolve("model.bin"), data);
    String both = "127.0.0.1:" + a + ",127.0.0.1:" + b;

    // The seeder talks to node A; its upload is capped so the download lasts a few seconds.
    try (SwarmClient seeder = SwarmShare.client().trackers(PeerAddress.parseList(both, 8888)).bind("127.0.0.1")
        .maxUploadRate(2 << 20).start()) {
      SharedFile f = seeder.share(shared);

      // 1. Node B answers with what node A was told, peer count included.
      ManifestCommandTest.Run search = ManifestCommandTest.run("search", "model", "--json", "--tracker", "127.0.0.1:" + b);
      assertEquals(0, search.code(), search.err());
      assertTrue(search.out().contains("\"id\":\"" + f.id().hex() + "\""), search.out());
      assertTrue(search.out().contains("\"peers\":1"), search.out());

      // 2. A get given both nodes completes although node A dies (kill -9) under it.
      Path out = dir.resolve("out");
      CompletableFuture<ManifestCommandTest.Run> get = CompletableFuture.supplyAsync(() -> ManifestCommandTest.run(
          "get", f.id().hex(), "-o", out.toString(), "--tracker", both, "--json", "--linger", "0"));
      Path part = out.resolve("model.bin.part");
      Await.until(() -> Files.exists(part) || get.isDone(), Duration.ofSeconds(30), () -> "the download started");
      assertTrue(!get.isDone(), "the capped download should still be running when node A is killed");
      nodes.getFirst().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      ManifestCommandTest.Run done = get.get(60, TimeUnit.SECONDS);
      assertEquals(0, done.code(), done.err());
      assertTrue(done.out().contains("\"verified\":true"), done.out());
      assertEquals(sha256(data), sha256(Files.readAllBytes(out.resolve("model.bin"))));

      // A client whose first node is dead from the start finds the file through the next one.
      ManifestCommandTest.Run viaB = ManifestCommandTest.run("search", "model", "--json", "--tracker", both);
      assertEquals(0, viaB.code(), viaB.err());
      assertTrue(viaB.out().contains(f.id().hex()), viaB.out());
    }

    // 3. Every node stopped, a new one started on the same Redis: the swarm is still known.
    nodes.get(1).destroy();
    nodes.get(1).waitFor(10, TimeUnit.SECONDS);
    int c = node("c");
    ManifestCommandTest.Run later = ManifestCommandTest.run("search", "model", "--tracker", "127.0.0.1:" + c);
    assertEquals(0, later.code(), later.err());
    assertTrue(later.out().contains("model.bin"), later.out());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
