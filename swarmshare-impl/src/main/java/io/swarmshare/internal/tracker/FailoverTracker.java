package io.swarmshare.internal.tracker;

import org.jspecify.annotations.Nullable;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Several nodes of one tracker (nodes that share their state, such as tracker nodes on one
 * Redis), used as one {@link Tracker}. Each request goes to the first node in the list that is
 * not resting; a node that cannot be reached, does not answer in time or is {@code busy} rests
 * for a while and the request goes on to the next. When its rest is over a node is tried first
 * again, so clients come back to the nodes listed first once they recover. Each failure in a row
 * doubles a node's rest (30 s, 1, 2, 4, then 8 minutes at most; an answer starts it over), so a
 * node that stays down costs a request the connect timeout rarely rather than every 30 s. Only
 * one node holds a connection at a time: switching nodes closes the connection to the one left.
 *
 * <p>Every tracker request is idempotent, so sending one again to another node is safe. A
 * node that does not know a file this client shares answers {@code not_found}, and the client
 * registers the file again (see {@code Client}), which also covers independent trackers.
 *
 * <p>Thread-safe.
 */
public final class FailoverTracker implements Tracker {
  /** How long a node that failed once is passed over before it is tried first again. */
  public static final Duration DEFAULT_REST = Duration.ofSeconds(30);
  /** How many times a node's rest doubles while it keeps failing: 16 × the first rest at most. */
  static final int MAX_DOUBLINGS = 4;

  private final List<RemoteTracker> nodes;
  private final long restNanos;
  private final LongSupplier clock;
  private final long[] restingUntil; // System.nanoTime() values; guarded by this
  private final boolean[] resting; // guarded by this
  private final int[] failuresInARow; // guarded by this
  private int inUse = -1; // guarded by this

  FailoverTracker(List<RemoteTracker> nodes, Duration rest, LongSupplier clock) {
    if (nodes.size() < 2) {
      throw new IllegalArgumentException("a failover tracker needs at least two nodes");
    }
    this.nodes = List.copyOf(nodes);
    this.restNanos = rest.toNanos();
    this.clock = clock;
    this.restingUntil = new long[nodes.size()];
    this.resting = new boolean[nodes.size()];
    this.failuresInARow = new int[nodes.size()];
  }

  /**
   * A client of the tracker nodes at {@code addresses}, in order of preference, speaking for peer
   * {@code self}: a {@link RemoteTracker} when there is one address, else a failover tracker over
   * one client per node (each trying a node once per request, since the next node is the retry).
   */
  public static Tracker connect(List<PeerAddress> addresses, Transport transport, PeerId self,
      RemoteTracker.Settings settings, Duration rest) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no tracker address given");
    }
    if (addresses.size() == 1) {
      return new RemoteTracker(addresses.get(0), transport, self, settings);
    }
    RemoteTracker.Settings once = new RemoteTracker.Settings(settings.connectTimeout(), settings.requestTimeout(), 1,
        settings.backoff(), settings.limits());
    List<RemoteTracker> nodes = new ArrayList<>();
    for (PeerAddress a : addresses) {
      nodes.add(new RemoteTracker(a, transport, self, once));
    }
    return new FailoverTracker(nodes, rest, System::nanoTime);
  }

  /** The nodes' addresses, in order of preference. */
  public List<PeerAddress> addresses() {
    return nodes.stream().map(RemoteTracker::address).toList();
  }

  /** The node the last successful request went to, or empty before the first one. */
  public synchronized Optional<PeerAddress> current() {
    return inUse < 0 ? Optional.empty() : Optional.of(nodes.get(inUse).address());
  }

  @Override
  public void register(Manifest manifest, String name) throws SwarmException {
    call(t -> {
      t.register(manifest, name);
      return null;
    });
  }

  @Override
  public void announce(Announcement announcement) throws SwarmException {
    call(t -> {
      t.announce(announcement);
      return null;
    });
  }

  @Override
  public void leave(FileId file, PeerId peer) throws SwarmException {
    call(t -> {
      t.leave(file, peer);
      return null;
    });
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws SwarmException {
    return call(t -> t.peers(file, limit));
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws SwarmException {
    return call(t -> t.manifest(file));
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    return call(t -> t.search(text, limit));
  }

  @Override
  public void close() {
    nodes.forEach(RemoteTracker::close);
  }

  @Override
  public String toString() {
    return "FailoverTracker" + addresses();
  }

  private interface Request<T extends @Nullable Object> {
    T on(RemoteTracker node) throws SwarmException;
  }

  private <T extends @Nullable Object> T call(Request<T> request) throws SwarmException {
    List<String> failures = new ArrayList<>();
    SwarmException last = null;
    for (int i : order()) {
      RemoteTracker node = nodes.get(i);
      try {
        T result = request.on(node);
        using(i);
        return result;
      } catch (SwarmException e) {
        boolean busy = e instanceof ProtocolException p && ErrorCode.BUSY.wire().equals(p.code());
        if (!busy && !(e instanceof TrackerUnavailableException)) {
          using(i); // an answer, if a refusal: another node would say the same
          throw e;
        }
        last = e;
      }
      rest(i);
      failures.add(last.getMessage());
    }
    if (failures.size() == 1) {
      throw last;
    }
    throw new TrackerUnavailableException("no tracker node answered: " + String.join("; ", failures), last);
  }

  /** Nodes not resting in list order, then resting ones, those whose rest ends first first. */
  private synchronized List<Integer> order() {
    long now = clock.getAsLong();
    List<Integer> awake = new ArrayList<>();
    List<Integer> asleep = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (resting[i] && restingUntil[i] - now > 0) {
        asleep.add(i);
      } else {
        resting[i] = false;
        awake.add(i);
      }
    }
    asleep.sort((a, b) -> Long.compare(restingUntil[a] - now, restingUntil[b] - now));
    awake.addAll(asleep);
    return awake;
  }

  private synchronized void rest(int node) {
    long now = clock.getAsLong();
    if (resting[node] && restingUntil[node] - now > 0) {
      // Tried while resting (every node had failed), or a request that was already under way
      // when another failed on it: the same outage, not a new failure to lengthen the rest for.
      return;
    }
    int doublings = failuresInARow[node];
    failuresInARow[node] = Math.min(doublings + 1, MAX_DOUBLINGS);
    resting[node] = true;
    long rest = restNanos > (Long.MAX_VALUE >> 2) >> doublings ? Long.MAX_VALUE >> 2 : restNanos << doublings;
    restingUntil[node] = now + rest;
  }

  private void using(int node) {
    RemoteTracker left = null;
    synchronized (this) {
      failuresInARow[node] = 0;
      resting[node] = false; // it answered: first in line again, even if it answered as a last resort
      if (inUse != node) {
        if (inUse >= 0) {
          left = nodes.get(inUse);
        }
        inUse = node;
      }
    }
    if (left != null) {
      left.disconnect();
    }
  }
}
