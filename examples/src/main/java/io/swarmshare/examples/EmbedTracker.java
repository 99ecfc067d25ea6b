package io.swarmshare.examples;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.FileEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Embeds a tracker in an application: it starts with the application, the application can ask it
 * questions in process, and it stops with the application. Peers anywhere reach it on its port.
 *
 * <p>Run: {@code bin/example EmbedTracker [PORT] [SECONDS]} (defaults: port 8888, until Ctrl-C).
 * Port 0 picks a free one.
 */
public final class EmbedTracker {
  private EmbedTracker() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : SwarmShare.DEFAULT_TRACKER_PORT;
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;

    // 1. Start it: binds the port on every interface and serves each connection on a virtual thread.
    RunningTracker tracker = SwarmShare.tracker().port(port).start();
    System.out.println("tracker listening on port " + tracker.address().port()
        + "; share to it with: swarmshare share FILE --tracker THIS_HOST:" + tracker.address().port());

    // 2. Stop it with the application: here on Ctrl-C, in a server from its own shutdown callback.
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch said = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      tracker.close();
      stopped.countDown();
      awaitQuietly(said); // the JVM ends when the hooks return: let main say goodbye first
    }));

    // 3. Use it in process: a RunningTracker is a Tracker, the same interface remote peers talk to.
    long deadline = seconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() - deadline < 0 && !stopped.await(Math.min(1000, remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
      List<FileEntry> files = tracker.search("", 50);
      String now = files.size() + " file(s), " + files.stream().mapToInt(FileEntry::peers).sum() + " peer(s) holding them";
      if (!now.equals(last)) {
        System.out.println("tracker: " + now);
        last = now;
      }
    }
    tracker.close();
    System.out.println("tracker stopped");
    System.out.flush();
    said.countDown();
  }

  private static long remainingMillis(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
