package io.swarmshare;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.status.StatusServer;
import io.swarmshare.internal.tracker.Census;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.internal.tracker.TrackerCounters;
import io.swarmshare.internal.tracker.TrackerServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tracker serving on a port, started by {@link TrackerBuilder#start()}. It is also a
 * {@link Tracker}: calls made on it in this process see the same state as remote clients.
 *
 * <p>Thread-safe. Failures are those of {@link Tracker}: {@link IllegalArgumentException} for a
 * malformed request, {@link io.swarmshare.api.UnknownFileException} for an unknown file, a
 * {@link io.swarmshare.api.ProtocolException} with code {@code busy} when a cap is reached, and
 * {@link io.swarmshare.api.TrackerUnavailableException} after {@link #close()}.
 */
public final class RunningTracker implements Tracker {
  private final Tracker tracker;
  private final TrackerServer server;
  private volatile @Nullable StatusServer status;

  RunningTracker(Tracker tracker, TrackerServer server, @Nullable StatusServer status) {
    this.tracker = tracker;
    this.server = server;
    this.status = status;
  }

  /** A tracker that also serves its figures over HTTP on {@code http}. */
  static RunningTracker withStatus(Tracker tracker, TrackerServer server, InetSocketAddress http) throws IOException {
    RunningTracker running = new RunningTracker(tracker, server, null);
    running.status = StatusServer.start(http, running::stats, server.counters(), SwarmShare.version());
    return running;
  }

  /**
   * Where the HTTP server of {@link TrackerBuilder#http(int)} listens, as the socket reports it.
   *
   * @return its address, or empty if the tracker serves no HTTP
   */
  public Optional<InetSocketAddress> httpAddress() {
    StatusServer s = status;
    return s == null ? Optional.empty() : Optional.of(s.address());
  }

  /** {@return the address bound, as the socket reports it: {@code 0.0.0.0} when bound to every interface} */
  public InetSocketAddress boundAddress() {
    return server.address();
  }

  /**
   * Where a client on this machine reaches the tracker: the bound address, with a wildcard
   * replaced by the loopback address.
   *
   * @return the address to connect to from this machine
   */

  public PeerAddress address() {
    InetSocketAddress a = server.address();
    String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress()
        ? "127.0.0.1" : a.getAddress().getHostAddress();
    return new PeerAddress(host, a.getPort());
  }

  @Override
  public void register(Manifest manifest, String name) throws SwarmException {
    tracker.register(manifest, name);
  }

  @Override
  public void announce(Announcement announcement) throws SwarmException {
    tracker.announce(announcement);
  }

  @Override
  public void leave(FileId file, PeerId peer) throws SwarmException {
    tracker.leave(file, peer);
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws SwarmException {
    return tracker.peers(file, limit);
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws SwarmException {
    return tracker.manifest(file);
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    return tracker.search(text, limit);
  }

  /**
   * A snapshot of this tracker: connections, requests and errors since it started and, with the
   * in-memory store, the files, peers and seeders it lists, the downloads it saw finish, the
   * bytes peers reported moving and every file's figures. A store that cannot count cheaply (such
   * as Redis) gives -1 for those counts and, per file, what an empty search finds (up to 50).
   *
   * @return the figures now
   */
  public TrackerStats stats() {
    Census census = census(tracker);
    TrackerCounters c = server.counters();
    return new TrackerStats(server.openConnections(), census.files(), census.peers(), census.seeders(), c.requests(),
        c.errors(), census.completed(), census.bytesUploaded(), census.bytesDownloaded(), census.swarms());
  }

  /** What {@code tracker} can tell of its files; see {@link #stats()}. */
  static Census census(Tracker tracker) {
    if (tracker instanceof InMemoryTracker memory) {
      try {
        return memory.census();
      } catch (TrackerUnavailableException closed) {
        return new Census(0, 0, 0, 0, 0, 0, List.of());
      }
    }
    Map<FileId, SwarmStats> found = new LinkedHashMap<>();
    try {
      for (FileEntry e : tracker.search("", Limits.MAX_RESULTS_PER_REPLY)) {
        SwarmStats s = found.get(e.id());
        List<String> names = new ArrayList<>(s == null ? List.of() : s.names());
        names.add(e.name());
        found.put(e.id(), new SwarmStats(e.id(), names, e.size(), e.peers(), -1, -1, -1, -1));
      }
    } catch (SwarmException | RuntimeException e) {
      // The store is away: the figures the server keeps are still worth showing.
    }
    List<SwarmStats> swarms = new ArrayList<>(found.values());
    swarms.sort(Census.BUSIEST_FIRST);
    return new Census(-1, -1, -1, -1, -1, -1, swarms);
  }

  /**
   * Stops serving (the HTTP server too), closes every connection and closes the store: an in-memory store forgets
   * all state, a shared one (such as Redis) keeps it for other nodes. Idempotent.
   */
  @Override
  public void close() {
    StatusServer s = status;
    if (s != null) {
      s.close();
    }
    server.close();
    tracker.close();
  }

  @Override
  public String toString() {
    return "RunningTracker[" + boundAddress() + "]";
  }
}
