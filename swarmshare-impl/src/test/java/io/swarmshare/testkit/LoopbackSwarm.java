package io.swarmshare.testkit;

import io.swarmshare.ClientBuilder;
import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.TlsConfig;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tracker on a free loopback port and clients that talk to it over real sockets, all closed
 * together. The one test kit for swarm tests.
 */
public final class LoopbackSwarm implements AutoCloseable {
  private final RunningTracker tracker;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public LoopbackSwarm() throws SwarmException {
    this(null);
  }

  /** A swarm whose tracker speaks TLS with {@code tls} (plain TCP if null); clients add their own {@code .tls(...)}. */
  public LoopbackSwarm(@Nullable TlsConfig tls) throws SwarmException {
    this.tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").tls(tls).start();
  }

  public PeerAddress trackerAddress() {
    return tracker.address();
  }

  public RunningTracker tracker() {
    return tracker;
  }

  /** A client builder preset for fast tests: loopback, short intervals and timeouts. */
  public ClientBuilder clientBuilder(String name) {
    return SwarmShare.client().tracker(tracker.address()).bind("127.0.0.1").peerId(new PeerId(name))
        .trackerInterval(Duration.ofMillis(100)).stallTimeout(Duration.ofSeconds(2))
        .noPeersTimeout(Duration.ofSeconds(10)).announceInterval(Duration.ofMillis(300))
        .chunkSize(16 * 1024);
  }

  public SwarmClient client(String name) throws SwarmException {
    return track(clientBuilder(name).start());
  }

  public <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception ignored) {
        // closing test fixtures best effort
      }
    }
    tracker.close();
  }
}
