package io.swarmshare.examples;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A build machine shares its artifacts: every file in a directory, through a tracker it embeds,
 * until Ctrl-C. Other machines fetch them with {@link FetchArtifacts}, from this machine and from
 * each other.
 *
 * <p>Run: {@code bin/example ShareDirectory DIR [PORT] [HOST]}: PORT is the tracker's (default
 * 8888, 0 for a free one); HOST is the address other machines reach this one at (default
 * 127.0.0.1, enough to try it on one machine).
 */
public final class ShareDirectory {
  private ShareDirectory() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ShareDirectory DIR [PORT] [HOST]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int port = args.length > 1 ? Integer.parseInt(args[1]) : SwarmShare.DEFAULT_TRACKER_PORT;
    String host = args.length > 2 ? args[2] : "127.0.0.1";
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }

    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try (RunningTracker tracker = SwarmShare.tracker().port(port).start();
        // The seeder talks to the tracker in process, so it says itself where others find it.
        SwarmClient seeder = SwarmShare.client().tracker(tracker).advertisedHost(host).start()) {
      for (Path file : files) {
        SharedFile f = seeder.share(file); // hashes every chunk, registers, serves
        System.out.printf("shared %-32s %10d bytes  %s%n", f.name(), f.size(), f.id());
      }
      System.out.println("Fetch them on another machine with:");
      System.out.println("  bin/example FetchArtifacts " + host + ":" + tracker.address().port() + " DIR");
      System.out.println("Serving until Ctrl-C.");
      stop.await();
    } // closing the client tells the tracker it left; closing the tracker stops it
  }
}
