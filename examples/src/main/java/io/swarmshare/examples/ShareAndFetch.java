package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The whole library in one screen: embed a tracker, share a file from one client, download it
 * with another, and print the verified file's id.
 *
 * <p>Run: {@code bin/example ShareAndFetch [FILE]} (without FILE, a 16 MiB file of random bytes
 * is generated in a temporary directory).
 */
public final class ShareAndFetch {
  private ShareAndFetch() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("swarmshare-example-");
    Path file = args.length > 0 ? Path.of(args[0]) : generate(work.resolve("artifact.bin"), 16 << 20);

    // 1. A tracker inside this process, on a free port of the loopback interface.
    try (var tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
        // 2. Two peers. Real applications run them on different machines, with the tracker's address.
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address()).start();
        SwarmClient fetcher = SwarmShare.client().tracker(tracker.address()).start()) {

      // 3. Share: hash the file, register it, serve it.
      SharedFile shared = seeder.share(file);
      System.out.println("shared   " + shared.name() + " as " + shared.id());

      // 4. Fetch by id: every chunk and the whole file are checked against the id.
      DownloadResult result = fetcher.download(shared.id(), work.resolve("downloads")).await();
      System.out.printf("fetched  %s (%d bytes) in %d ms%n", result.path(), result.size(), result.elapsed().toMillis());
      System.out.println("verified " + result.id());
    }
  }

  static Path generate(Path file, int size) throws java.io.IOException {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    return Files.write(file, data);
  }
}
