package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.TreeDownloadResult;
import io.swarmshare.api.TreeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A directory as one unit: a model-like directory (a few shards, a tokenizer, a config) shared
 * from code by one client and fetched by another into a directory of its own, every file
 * verified, then version 2, which changes one shard, fetched reusing version 1: only that
 * shard moves.
 *
 * <p>Run: {@code bin/example ShareTree [DIR]} (without DIR, a model of about 12 MiB is generated
 * in a temporary directory).
 */
public final class ShareTree {
  private ShareTree() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("swarmshare-example-");
    Path model = args.length > 0 ? Path.of(args[0]) : generate(work.resolve("src/model"), 1);

    try (var tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address()).start();
        SwarmClient fetcher = SwarmShare.client().tracker(tracker.address()).start()) {

      // Share: every file is hashed and served; the listing (paths, sizes, file ids) names the tree.
      SharedTree shared = seeder.shareTree(model);
      System.out.printf("shared   %s/ (%d files, %d bytes) as %s%n", shared.name(), shared.files(), shared.size(),
          shared.id());

      // Fetch by name into downloads/model/...: the listing is checked against the tree's id,
      // each file against its own id.
      TreeDownloadResult v1 = fetcher.downloadTree(shared.name(), work.resolve("downloads"), TreeOptions.DEFAULTS);
      System.out.printf("fetched  %s: %d files, %d chunks downloaded%n", v1.path(), v1.files(), v1.chunksDownloaded());
      System.out.println("verified " + v1.id());

      if (args.length == 0) {
        // Version 2 changes one shard; fetched reusing version 1, only that shard moves.
        SharedTree v2tree = seeder.shareTree(generate(work.resolve("src/model-v2"), 2), "model-v2", n -> {});
        TreeDownloadResult v2 = fetcher.downloadTree("model-v2", work.resolve("downloads"),
            TreeOptions.DEFAULTS.withReuse(v1.path()));
        System.out.printf("fetched  %s: %d chunks downloaded, %d bytes reused%n", v2.path(), v2.chunksDownloaded(),
            v2.bytesReused());
        System.out.println("verified " + v2.id() + (v2.id().equals(v2tree.id()) ? "" : " (not the id shared!)"));
      }
    }
  }

  /** A model directory: three 4 MiB shards, a tokenizer and a config; {@code version} changes shard 2. */
  static Path generate(Path dir, int version) throws java.io.IOException {
    Files.createDirectories(dir.resolve("shards"));
    for (int shard = 1; shard <= 3; shard++) {
      byte[] data = new byte[4 << 20];
      new Random(shard == 2 ? shard * 100 + version : shard).nextBytes(data);
      Files.write(dir.resolve("shards/model-0000" + shard + "-of-00003.safetensors"), data);
    }
    Files.writeString(dir.resolve("tokenizer.json"), "{\"vocab\": {\"hello\": 0, \"world\": 1}}\n");
    Files.writeString(dir.resolve("config.json"), "{\"layers\": 12, \"hidden\": 768}\n");
    return dir;
  }
}
