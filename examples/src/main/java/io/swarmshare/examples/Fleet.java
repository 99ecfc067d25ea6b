package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fleet fetching one release: a tracker, one seeder whose uplink is capped, and N nodes that
 * start together. Every node uploads each chunk it has verified, so the fleet takes about as
 * long as one node would, and the seeder sends about one copy of the file instead of N.
 *
 * <p>Run: {@code bin/example Fleet [NODES] [SIZE_MIB] [SEEDER_MIB_PER_S]} (8 nodes, 64 MiB and
 * 16 MiB/s by default). The nodes share this process here; in a real fleet each is a service on
 * its own machine, configured with the tracker's address.
 */
public final class Fleet {
  private Fleet() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int sizeMiB = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int seederMiBps = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    if (nodes < 1 || sizeMiB < 1 || seederMiBps < 1) {
      System.err.println("usage: bin/example Fleet [NODES] [SIZE_MIB] [SEEDER_MIB_PER_S], each at least 1");
      System.exit(2);
    }
    Path work = Files.createTempDirectory("swarmshare-fleet-");
    try {
      run(work, nodes, sizeMiB, seederMiBps);
    } finally {
      try (var paths = Files.walk(work)) { // N + 1 copies of the file: not left behind
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void run(Path work, int nodes, int sizeMiB, int seederMiBps) throws Exception {
    Path file = ShareAndFetch.generate(work.resolve("release.bin"), sizeMiB << 20);
    try (var tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
        // The origin: its uplink is the scarce resource a swarm exists to spare.
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address()).bind("127.0.0.1")
            .peerId(new PeerId("seeder")).maxUploadRate((long) seederMiBps << 20).start()) {
      SharedFile shared = seeder.share(file);
      System.out.printf("shared   %s (%d MiB) as %s; the seeder uploads at most %d MiB/s%n",
          shared.name(), sizeMiB, shared.id(), seederMiBps);

      List<SwarmClient> fleet = new ArrayList<>();
      try {
        for (int i = 1; i <= nodes; i++) {
          fleet.add(SwarmShare.client().tracker(tracker.address()).bind("127.0.0.1")
              .peerId(new PeerId("node-" + i)).start());
        }
        long start = System.nanoTime();
        List<Download> downloads = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          downloads.add(fleet.get(i).download(shared.id(), work.resolve("node-" + (i + 1))));
        }
        long fromSeeder = 0;
        for (int i = 0; i < nodes; i++) {
          DownloadResult r = downloads.get(i).await();
          fromSeeder += r.bytesFromPeer().getOrDefault(seeder.id(), 0L);
          System.out.printf("node-%-3d %6.2f s  verified  from %s%n", i + 1, r.elapsed().toMillis() / 1000.0,
              sources(r.bytesFromPeer()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double alone = (double) nodes * sizeMiB / seederMiBps;
        System.out.printf("%d nodes verified %d MiB each in %.1f s. The seeder sent %.1f MiB, %.2f copies of the file;"
                + " serving every node itself at %d MiB/s would take %.0f s.%n",
            nodes, sizeMiB, seconds, fromSeeder / 1048576.0, fromSeeder / (double) ((long) sizeMiB << 20), seederMiBps,
            alone);
      } finally {
        fleet.forEach(SwarmClient::close);
      }
    }
  }

  /** "seeder 12.0 MiB, node-3 20.0 MiB, ...": the peers a node got verified chunks from, most first. */
  private static String sources(Map<PeerId, Long> bytesFromPeer) {
    return bytesFromPeer.entrySet().stream()
        .sorted(Map.Entry.<PeerId, Long>comparingByValue(Comparator.reverseOrder()))
        .map(e -> String.format("%s %.1f MiB", e.getKey(), e.getValue() / 1048576.0))
        .collect(Collectors.joining(", "));
  }
}
