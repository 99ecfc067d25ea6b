package io.swarmshare.testkit;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A sharer in a JVM of its own, for tests that kill it with kill -9: shares FILE through the
 * tracker with an upload limit, prints {@code serving ID} and serves until it is killed.
 *
 * <p>Usage: {@code SeedProcess TRACKER_HOST:PORT FILE PEER_ID BYTES_PER_SECOND CHUNK_SIZE}.
 */
public final class SeedProcess {
  private SeedProcess() {}

  public static void main(String[] args) throws Exception {
    String[] hostPort = args[0].split(":");
    SwarmClient client = SwarmShare.client().tracker(new PeerAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .bind("127.0.0.1").peerId(new PeerId(args[2])).maxUploadRate(Long.parseLong(args[3]))
        .chunkSize(Integer.parseInt(args[4])).announceInterval(Duration.ofMillis(300)).start();
    SharedFile shared = client.share(Path.of(args[1]));
    System.out.println("serving " + shared.id());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }

  /** Starts it on the test's own classpath, stderr to {@code log}, stdout to be read. */
  public static Process start(File log, String... args) throws IOException {
    return ChildJvm.start(log, ChildJvm.command(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto"),
        SeedProcess.class, args));
  }
}
