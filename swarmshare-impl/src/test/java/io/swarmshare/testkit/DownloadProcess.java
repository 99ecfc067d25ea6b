package io.swarmshare.testkit;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A download in a JVM of its own, for tests that kill it with kill -9. Prints one line per
 * step on stdout: {@code ready RESUMED DISCARDED} once the store is open, {@code verified N}
 * after every chunk ({@code N} counts verified chunks, which are written and marked by then),
 * and {@code done DOWNLOADED RESUMED} or {@code failed MESSAGE} / {@code refused MESSAGE}.
 *
 * <p>Usage: {@code DownloadProcess TRACKER_HOST:PORT FILE_ID DIR}.
 */
public final class DownloadProcess {
  /** Exit status when the download is refused because another one holds the directory. */
  public static final int REFUSED = 3;

  private DownloadProcess() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String[] hostPort = args[0].split(":");
    FileId id = FileId.parse(args[1]);
    Path dir = Path.of(args[2]);
    try (SwarmClient client = SwarmShare.client().tracker(new PeerAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .bind("127.0.0.1").peerId(new PeerId("child-" + ProcessHandle.current().pid()))
        .trackerInterval(Duration.ofMillis(100)).stallTimeout(Duration.ofSeconds(5))
        .noPeersTimeout(Duration.ofSeconds(30)).start()) {
      Download d;
      try {
        d = client.download(id, dir, DownloadOption.NO_SEED);
      } catch (StorageException e) {
        out.println("refused " + e.getMessage());
        out.flush();
        System.exit(REFUSED);
        return;
      }
      int[] resumed = {0, 0};
      d.onEvent(e -> {
        if (e instanceof DownloadEvent.ResumeChecked r) {
          resumed[0] = r.kept();
          resumed[1] = r.discarded();
        }
      });
      out.println("ready " + resumed[0] + " " + resumed[1]);
      out.flush();
      d.onEvent(e -> {
        if (e instanceof DownloadEvent.ChunkVerified) {
          out.println("verified " + d.progress().verifiedChunks());
          out.flush();
        }
      });
      try {
        DownloadResult r = d.await();
        out.println("done " + r.chunksDownloaded() + " " + r.chunksResumed());
      } catch (SwarmException e) {
        out.println("failed " + e.getMessage());
        out.flush();
        System.exit(2);
      }
      out.flush();
    }
  }

  /** The command that runs this class in a new JVM on the test's own classpath. */
  public static List<String> command(String... args) {
    // A small, quickly started JVM: it is started and killed many times.
    return ChildJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"),
        DownloadProcess.class, args);
  }

  /** Starts it, stderr to {@code log} (kept for a failure message), stdout to be read. */
  public static Process start(File log, String... args) throws IOException {
    return ChildJvm.start(log, command(args));
  }
}
